package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;

/**
 * A {@link Network} that wraps another and damages the frames passing through it, as a bad link would: drops,
 * duplicates, reorders, delays, flips a bit, cuts short, at the rates of a {@link FaultSpec} and from its seed.
 *
 * <pre>
 *   stack --write--> [ drop | cut | flip | duplicate | delay | hold ] --write--> wrapped device
 *   stack <--listen- [ drop | cut | flip | duplicate | delay | hold ] <-listen-- wrapped device
 * </pre>
 *
 * <p>Repeatable: {@link #connect()} logs the seed (drawn here if the spec has none) and the {@code --faults} text
 * that repeats the run; the faults of the n-th frame in each direction depend only on that seed and n. With the same
 * frames in the same order, two runs see the same faults; real traffic and thread timing may still differ.
 * {@link #disconnect()} logs how many times each fault was applied, also readable through {@link #counts()}. Both go
 * to the {@link System.Logger} {@value #LOGGER_NAME}.
 *
 * <p>Buffers: every frame is either passed on or released exactly once. A received frame is damaged in place (the
 * listener owns it, and we are the wrapped device's listener); a sent frame with a fault is filled into a buffer of
 * our own first. A duplicate is a copy, never a buffer that shares bytes with the original.
 *
 * <p>Threads: see {@link ReceivePath} and {@link SendPath}. With receive faults on, the wrapped device's receive loop
 * runs on a thread of ours and the handler on the thread that called {@link #listen}; with faults that hold frames
 * (delay, reorder), a virtual thread sends the frames that fall due. Frames held or delayed when the device
 * disconnects are released, unsent, as a link going down loses them. Memory is bounded: at most 1024 frames wait in
 * each direction.
 */
public final class FaultyNetwork implements Network {

    /** The name of the {@link System.Logger} that logs the seed and the counts. */
    public static final String LOGGER_NAME = "tcpip.faults";
    /** How long a frame held back for reordering waits at most for the frames that should overtake it. */
    public static final Duration MAX_HOLD = Duration.ofMillis(10);
    /** How many frames may wait, per direction, for their delay or hold to end. */
    static final int QUEUE_CAPACITY = 1024;

    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    private final Network inner;
    private final FaultSpec spec;
    private final ByteBufAllocator allocator;
    private final long holdNanos;
    private final Object lifecycle = new Object();
    /** The state of the current (or last) connection; {@code null} before the first connect. */
    private volatile Session session;
    private boolean connected;

    /**
     * Wraps {@code inner}; does no I/O. If {@code spec} has no seed, one is drawn now; {@link #spec()} has it.
     *
     * @param inner the device to wrap; this device connects and disconnects it
     * @param spec the faults to inject
     */
    public FaultyNetwork(Network inner, FaultSpec spec) {
        this(inner, spec, ByteBufAllocator.DEFAULT, MAX_HOLD);
    }

    /** For tests: where sent frames with a fault are filled, and how long a reordered frame waits at most. */
    FaultyNetwork(Network inner, FaultSpec spec, ByteBufAllocator allocator, Duration maxHold) {
        this.inner = Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(spec, "spec");
        this.spec = spec.seed().isPresent() ? spec : spec.withSeed(ThreadLocalRandom.current().nextLong());
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.holdNanos = maxHold.toNanos();
    }

    /** The faults this device injects, with the seed it uses. */
    public FaultSpec spec() {
        return spec;
    }

    /** The wrapped device. */
    public Network inner() {
        return inner;
    }

    /**
     * Connects the wrapped device, then starts the fault sequence from the seed (each connect starts it afresh, with
     * counts at zero) and logs the seed.
     *
     * @throws IOException what the wrapped device's {@code connect} threw
     * @throws IllegalStateException if already connected
     */
    @Override
    public void connect() throws IOException {
        synchronized (lifecycle) {
            if (connected) throw new IllegalStateException("This fault-injecting network is already connected.");
            inner.connect();
            Session s = new Session();
            s.send.start();
            session = s;
            connected = true;
        }
        long seed = spec.seed().orElseThrow();
        String where = switch (spec.direction()) {
            case BOTH -> "received and sent";
            case RX -> "received";
            case TX -> "sent";
        };
        boolean any = spec.affectsReceive() || spec.affectsSend();
        LOG.log(Level.INFO, () -> "faults: seed " + seed + "; " + (any ? "injecting into " + where + " frames" : "injecting nothing")
                + "; --faults=" + spec.format() + " repeats this run");
    }

    /**
     * Releases the frames still delayed or held (unsent), disconnects the wrapped device, which ends {@link #listen},
     * and logs the counts. Never throws.
     */
    @Override
    public void disconnect() {
        Session s;
        synchronized (lifecycle) {
            s = connected ? session : null;
            connected = false;
        }
        if (s != null) s.send.stop();
        inner.disconnect();
        if (s != null) {
            FaultCounts rx = s.receiveCounters.snapshot();
            FaultCounts tx = s.sendCounters.snapshot();
            LOG.log(Level.INFO, () -> "faults: seed " + spec.seed().orElseThrow() + "; " + rx.plus(tx)
                    + " (received: " + rx + "; sent: " + tx + ")");
        }
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    /**
     * Receives the wrapped device's frames through the receive faults until it is disconnected. The handler is called
     * on this thread, one frame at a time, and owns each frame; an exception it throws is logged and the next frame
     * follows. Without receive faults (or before {@link #connect()}), this is the wrapped device's own
     * {@code listen}.
     *
     * @throws IOException what the wrapped device's {@code listen} threw
     */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        Session s = session;
        if (s == null || !spec.affectsReceive()) {
            inner.listen(handler);
        } else {
            s.receive.listen(handler);
        }
    }

    /**
     * Sends a frame through the send faults. The filler writes into a buffer it must neither release nor keep; that
     * buffer is the wrapped device's when the frame has no fault, else one of ours (from netty's default allocator),
     * released here. A dropped frame is still filled, as a real link drops frames after the stack wrote them.
     *
     * @throws IllegalArgumentException if {@code size} exceeds {@link #mtu()} plus the 14-byte header
     * @throws IOException what the wrapped device's {@code write} threw for this frame (a later frame, or a frame
     *     sent late, that fails to send is logged at debug level instead)
     */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        Session s = session;
        if (s == null || !spec.affectsSend()) {
            inner.write(size, filler);
        } else {
            s.send.write(size, filler);
        }
    }

    /** The wrapped device's counters: what reached the wire and what came from it. */
    @Override
    public NetworkStats stats() {
        return inner.stats();
    }

    /** How many times each fault was applied to received frames since connect. */
    public FaultCounts receiveCounts() {
        Session s = session;
        return s == null ? FaultCounts.ZERO : s.receiveCounters.snapshot();
    }

    /** How many times each fault was applied to sent frames since connect. */
    public FaultCounts sendCounts() {
        Session s = session;
        return s == null ? FaultCounts.ZERO : s.sendCounters.snapshot();
    }

    /** How many times each fault was applied since connect, in both directions. */
    public FaultCounts counts() {
        return receiveCounts().plus(sendCounts());
    }

    /** The fault state of one connection: dice seeded afresh, counts from zero. */
    private final class Session {
        final FaultCounters receiveCounters = new FaultCounters();
        final FaultCounters sendCounters = new FaultCounters();
        final ReceivePath receive;
        final SendPath send;

        Session() {
            // Each direction draws from its own sequence, so the faults of one do not depend on the traffic of the other.
            SplittableRandom root = new SplittableRandom(spec.seed().orElseThrow());
            receive = new ReceivePath(inner, spec, new FaultDice(spec, root.split()), receiveCounters, holdNanos,
                    QUEUE_CAPACITY);
            send = new SendPath(inner, spec, new FaultDice(spec, root.split()), sendCounters, allocator, holdNanos,
                    QUEUE_CAPACITY);
        }
    }
}
