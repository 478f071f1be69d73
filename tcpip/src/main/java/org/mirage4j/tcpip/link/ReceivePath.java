package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import org.mirage4j.api.net.Network;

/**
 * The receive side of a {@link FaultyNetwork}: draws and applies the faults of each received frame, and hands the
 * frames that survive to the listener when they fall due.
 *
 * <pre>
 *   wrapped device --listen--> [pump thread: drop, cut, flip, hold, delay] --> DelayLine --> [listen's caller] --> handler
 * </pre>
 *
 * <p>Threads: {@link #listen} starts a platform thread, {@code faults-rx}, that runs the wrapped device's receive
 * loop; it draws the faults and queues each frame with its due time (now, later, or when {@code K} later frames have
 * passed). The thread that called {@code listen} takes the frames as they fall due and calls the handler, so the
 * handler runs on that thread, one frame at a time, as {@link Network#listen} promises; the handler may be called
 * while no frame arrives, when a delayed or held one falls due. When the wrapped device's loop ends,
 * {@code listen} releases the frames still waiting and returns (or throws what that loop threw).
 *
 * <p>Memory: at most {@code capacity} frames wait; when the line is full the pump waits for room, which slows the
 * wrapped device's loop as a slow handler would, and never loses a frame.
 */
final class ReceivePath {

    private static final System.Logger LOG = System.getLogger(FaultyNetwork.LOGGER_NAME);

    private final Network inner;
    private final FaultSpec spec;
    private final FaultDice dice;
    private final FaultCounters counters;
    private final long holdNanos;
    private final int capacity;

    /**
     * @param dice the receive direction's dice, used by one pump thread at a time
     * @param holdNanos how long a held frame waits at most for the frames that should overtake it
     * @param capacity how many frames may wait at once
     */
    ReceivePath(Network inner, FaultSpec spec, FaultDice dice, FaultCounters counters, long holdNanos, int capacity) {
        this.inner = inner;
        this.spec = spec;
        this.dice = dice;
        this.counters = counters;
        this.holdNanos = holdNanos;
        this.capacity = capacity;
    }

    /**
     * Receives frames from the wrapped device until its receive loop ends, applying the faults on the way; see the
     * class comment for the threads. The handler owns each frame it is given and must release it; an exception it
     * throws is logged and the next frame follows.
     *
     * @throws IOException what the wrapped device's {@code listen} threw
     */
    void listen(Consumer<ByteBuf> handler) throws IOException {
        DelayLine line = new DelayLine(capacity, System::nanoTime);
        Pump pump = new Pump(line);
        Thread thread = Thread.ofPlatform().daemon().name("faults-rx").start(pump);
        try {
            for (DelayLine.Entry due; (due = line.take()) != null; ) {
                deliver(due.frame(), handler);
            }
        } finally {
            // Normally the pump closed the line already; if this thread leaves early (an Error from the handler),
            // closing makes the pump release what it receives from now on instead of waiting for room forever.
            release(line.close());
        }
        joinQuietly(thread);
        pump.rethrow();
    }

    /** Hands a due frame (and its duplicate) to the handler, which owns each from the call on. */
    private static void deliver(QueuedFrame queued, Consumer<ByteBuf> handler) {
        ByteBuf frame = queued.frame();
        ByteBuf copy = null;
        if (queued.duplicate()) {
            // Copied before the handler sees the original, which it may change or release; a copy rather than a
            // retained duplicate, so that the two frames do not share bytes the handler may rewrite.
            try {
                copy = frame.copy();
            } catch (RuntimeException e) {
                frame.release();
                throw e;
            }
        }
        hand(handler, frame);
        if (copy != null) hand(handler, copy);
    }

    private static void hand(Consumer<ByteBuf> handler, ByteBuf frame) {
        try {
            handler.accept(frame);
        } catch (RuntimeException e) {
            // The frame was the handler's from the call on; whether it released it is its own business.
            LOG.log(Level.WARNING, "The frame handler threw; the receive loop goes on", e);
        }
    }

    static void release(Iterable<QueuedFrame> frames) {
        for (QueuedFrame f : frames) {
            f.frame().release();
        }
    }

    private static void joinQuietly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The wrapped device's receive loop, on the {@code faults-rx} thread. */
    private final class Pump implements Runnable {
        private final DelayLine line;
        /** The frame held back for reordering, while it is in the line. */
        private DelayLine.Entry held;
        /** How many more frames must pass before {@link #held} follows them. */
        private int heldCountdown;
        private volatile Throwable failure;

        Pump(DelayLine line) {
            this.line = line;
        }

        @Override
        public void run() {
            try {
                inner.listen(this::onFrame);
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            } finally {
                release(line.close());
            }
        }

        /** Takes ownership of {@code frame}: it is released here or queued for the listener. */
        private void onFrame(ByteBuf frame) {
            FaultDraw draw = dice.roll();
            if (draw.drop()) {
                frame.release();
                counters.dropped.increment();
                return;
            }
            draw.damage(frame, counters);
            if (draw.duplicate()) counters.duplicated.increment();
            QueuedFrame queued = new QueuedFrame(frame, draw.duplicate());
            long now = line.now();
            if (held != null && !line.holds(held)) held = null; // its hold limit ran out and it was delivered
            if (draw.delay()) {
                counters.delayed.increment();
                queue(queued, now + spec.delayBy().toNanos());
                return;
            }
            if (draw.reorder() && held == null) {
                held = queue(queued, now + holdNanos);
                if (held != null) {
                    counters.reordered.increment();
                    heldCountdown = spec.reorderAfter();
                }
                return;
            }
            queue(queued, now);
            if (held != null && --heldCountdown == 0) {
                DelayLine.Entry release = held;
                held = null;
                // Re-queued due now, so it comes out right after the frame that just passed it.
                if (line.remove(release)) queue(release.frame(), now);
            }
        }

        /** Queues a frame due at {@code due}, or releases it if the listener has gone. */
        private DelayLine.Entry queue(QueuedFrame queued, long due) {
            DelayLine.Entry entry = line.put(queued, due);
            if (entry == null) queued.frame().release();
            return entry;
        }

        /** Throws, on the listener's thread, what the wrapped device's receive loop threw. */
        void rethrow() throws IOException {
            Throwable t = failure;
            if (t instanceof IOException e) throw e;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
        }
    }
}
