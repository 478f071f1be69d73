package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import org.mirage4j.api.net.Network;

/**
 * The send side of a {@link FaultyNetwork}: draws the faults of each frame the stack writes and applies them on the
 * way to the wrapped device.
 *
 * <p>A frame with no fault goes straight to the wrapped device's {@code write}, filled in its own buffer. A frame
 * with a fault is first filled into a buffer of ours, then dropped, damaged, sent twice, or queued in a
 * {@link DelayLine} to be sent later.
 *
 * <p>Threads: {@link #write} runs on the caller's thread and may be called from several at once. Frames that fall
 * due later are sent by a virtual thread, {@code faults-tx}, started by {@link #start()} and ended by
 * {@link #stop()}; a held frame whose {@code K} followers have gone is sent by the thread that wrote the last of
 * them, right after it.
 *
 * <p>Memory: at most {@code capacity} frames wait; a frame drawn for a delay or a hold when the line is full is sent
 * at once instead, and not counted.
 */
final class SendPath {

    private static final System.Logger LOG = System.getLogger(FaultyNetwork.LOGGER_NAME);
    private static final int ETHERNET_HEADER = 14;

    private final Network inner;
    private final FaultSpec spec;
    private final FaultDice dice;
    private final FaultCounters counters;
    private final ByteBufAllocator allocator;
    private final long holdNanos;
    private final DelayLine line;
    /** Guards {@link #dice}, {@link #held} and {@link #heldCountdown}. */
    private final Object lock = new Object();
    private DelayLine.Entry held;
    private int heldCountdown;
    private Thread scheduler;

    /**
     * @param dice the send direction's dice, used only under this object's lock
     * @param allocator where frames with a fault are filled
     * @param holdNanos how long a held frame waits at most for the frames that should overtake it
     * @param capacity how many frames may wait at once
     */
    SendPath(Network inner, FaultSpec spec, FaultDice dice, FaultCounters counters, ByteBufAllocator allocator,
            long holdNanos, int capacity) {
        this.inner = inner;
        this.spec = spec;
        this.dice = dice;
        this.counters = counters;
        this.allocator = allocator;
        this.holdNanos = holdNanos;
        this.line = new DelayLine(capacity, System::nanoTime);
    }

    /** Starts the thread that sends frames when they fall due, if the spec delays or holds frames. */
    void start() {
        if (spec.holdsFrames()) scheduler = Thread.ofVirtual().name("faults-tx").start(this::sendWhenDue);
    }

    /** Ends that thread and releases the frames still waiting, unsent, as a link going down loses them. */
    void stop() {
        ReceivePath.release(line.close());
        Thread t = scheduler;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the thread ends by itself; the line is closed
            }
        }
    }

    /**
     * Sends one frame through the faults. {@code filler} writes the frame into a buffer it must neither release nor
     * keep, as for {@link Network#write}; whether that buffer is ours or the wrapped device's, it is released here or
     * by that device.
     *
     * @throws IllegalArgumentException if {@code size} exceeds the wrapped device's MTU plus the Ethernet header
     * @throws IOException what the wrapped device's {@code write} threw for this frame
     */
    void write(int size, Consumer<ByteBuf> filler) throws IOException {
        int max = inner.mtu() + ETHERNET_HEADER;
        if (size < 0 || size > max) {
            throw new IllegalArgumentException("A frame of " + size + " bytes does not fit this link, which sends at most "
                    + max + " bytes with the Ethernet header.");
        }
        FaultDraw draw;
        synchronized (lock) {
            draw = dice.roll();
        }
        if (draw.none()) {
            inner.write(size, filler);
            passed();
            return;
        }
        ByteBuf frame = allocator.buffer(size, size);
        try {
            filler.accept(frame);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        if (draw.drop()) {
            frame.release();
            counters.dropped.increment();
            return;
        }
        draw.damage(frame, counters);
        if (draw.duplicate()) counters.duplicated.increment();
        QueuedFrame queued = new QueuedFrame(frame, draw.duplicate());
        long now = line.now();
        if (draw.delay() && line.offer(queued, now + spec.delayBy().toNanos()) != null) {
            counters.delayed.increment();
            return;
        }
        if (draw.reorder() && hold(queued, now)) return;
        send(queued);
        passed();
    }

    /** Holds {@code queued} back if no other frame is held and the line has room; whether it did. */
    private boolean hold(QueuedFrame queued, long now) {
        synchronized (lock) {
            if (held != null && !line.holds(held)) held = null; // its hold limit ran out and it was sent
            if (held != null) return false;
            held = line.offer(queued, now + holdNanos);
            if (held == null) return false;
            heldCountdown = spec.reorderAfter();
            counters.reordered.increment();
            return true;
        }
    }

    /** Counts a frame that was just sent; sends the held frame after its last follower. */
    private void passed() {
        DelayLine.Entry release;
        synchronized (lock) {
            if (held == null || --heldCountdown > 0) return;
            release = held;
            held = null;
        }
        if (!line.remove(release)) return; // its hold limit ran out and the scheduler took it
        try {
            send(release.frame());
        } catch (IOException e) {
            // Not the caller's frame: its own was sent. A link loses frames; say why at debug level.
            LOG.log(Level.DEBUG, "A held frame could not be sent", e);
        }
    }

    /** The scheduler's loop: sends each frame when it falls due, until {@link #stop()}. */
    private void sendWhenDue() {
        for (DelayLine.Entry due; (due = line.take()) != null; ) {
            synchronized (lock) {
                if (due == held) held = null;
            }
            try {
                send(due.frame());
            } catch (IOException e) {
                // Nobody waits for this frame; a link loses frames, say why at debug level.
                LOG.log(Level.DEBUG, "A delayed frame could not be sent", e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Sending a delayed frame failed; the fault scheduler goes on", e);
            }
        }
    }

    /** Sends a frame we own (twice if duplicated) and releases it, also when sending fails. */
    private void send(QueuedFrame queued) throws IOException {
        ByteBuf frame = queued.frame();
        try {
            int length = frame.readableBytes();
            int times = queued.duplicate() ? 2 : 1;
            for (int i = 0; i < times; i++) {
                inner.write(length, out -> out.writeBytes(frame, frame.readerIndex(), length));
            }
        } finally {
            frame.release();
        }
    }
}
