package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.FlowHandler;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Tcp;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.tcp.Connection;
import org.mirage4j.tcpip.tcp.Listener;
import org.mirage4j.tcpip.tcp.SegmentSink;
import org.mirage4j.tcpip.tcp.TcpConfig;
import org.mirage4j.tcpip.tcp.TcpEngine;
import org.mirage4j.tcpip.tcp.TcpEvents;
import org.mirage4j.tcpip.tcp.TcpStats;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The direct stack's {@link Tcp}: the edges around the sans-IO {@link TcpEngine}, which does the protocol.
 *
 * <pre>{@code
 *   receive loop ──input()──┐                     ┌── segments ──▶ DirectIpv4.send (never blocks: ARP queues)
 *   timer thread ──poll()───┼─▶ lock ▶ TcpEngine ─┤
 *   flow threads ──read/write/close──┘            └── TcpEvents ──▶ signal the flow's or the listener's Condition
 * }</pre>
 *
 * <p><b>Threads.</b> The engine is single-threaded by contract, so every call into it, its connections and its
 * listeners holds {@link #lock}: the receive loop ({@link #input}), the stack's timer ({@link #poll}), and the
 * application's virtual threads (accept loops, handlers, {@link #connect} callers). Segments go out under the lock
 * through {@link DirectIpv4}, which never blocks. Threads that wait (for data, send space, the handshake, a
 * connection to accept) wait on a {@link Condition} of that lock, signalled from the engine's {@link TcpEvents}.
 * After each call the engine may want its timer sooner than the stack's timer thread planned: {@link #wakeTimer} is
 * told the engine's next deadline. On the receive loop the wake-ups wait for the end of the burst of frames the
 * device read ({@link #burstEnded}), so that a flow's reader wakes once per burst, not once per segment.
 *
 * <p>One virtual thread per listening port accepts ({@code tcp-accept-PORT}); each accepted connection gets a
 * virtual thread of its own running the {@link FlowHandler} in one try/finally that closes the flow.
 */
final class DirectTcp implements Tcp {

    static final String LOGGER_NAME = "tcpip.tcp";
    private static final Logger LOG = System.getLogger(LOGGER_NAME);
    /** Handler failures logged at WARNING, process-wide; the rest go to DEBUG. */
    private static final int LOGGED_HANDLER_FAILURES = 10;
    private static final AtomicLong HANDLER_FAILURES = new AtomicLong();
    /**
     * Segments of one burst after which deferred wake-ups go out anyway: a device that never runs dry (a flood)
     * must not keep a flow's reader asleep for ever.
     */
    static final int MAX_DEFERRED_SEGMENTS = 64;

    final ReentrantLock lock = new ReentrantLock();
    private final DirectIpv4 ipv4;
    private final MonotonicClock clock;
    private final ByteBufAllocator allocator;
    private final LongConsumer wakeTimer;
    private final Random random;
    private final TcpConfig config;
    private TcpEngine engine; // guarded by lock: made by start(), when the link's MTU is known
    private final Map<Connection, DirectFlow> flows = new IdentityHashMap<>(); // guarded by lock: flows not closed yet
    private final Map<Integer, PortListener> ports = new HashMap<>(); // guarded by lock
    private final AtomicLong sendFailures = new AtomicLong();
    private final SegmentWriter writer = new SegmentWriter(); // guarded by lock: the engine sends under it
    private final List<DirectFlow> toWake = new ArrayList<>(); // guarded by lock: wake-ups deferred to the burst's end
    private boolean receiving; // guarded by lock: in input() on the receive loop, where wake-ups are deferred
    private volatile Thread receiveLoop; // the thread whose bursts end in burstEnded(); see burstsOnThisThread()
    private int segmentsSinceDeferred; // guarded by lock: segments input since toWake became non-empty
    private volatile boolean wakesDeferred; // toWake is not empty: burstEnded() takes the lock only then
    private boolean stopped; // guarded by lock
    private volatile boolean partialChecksums; // the device finishes TCP checksums: set by start()

    /**
     * @param allocator where the connections' buffers and the buffers {@link Flow#read()} returns come from
     * @param config the engine's settings; {@link #start} lowers the MSS to what the link's MTU allows
     * @param wakeTimer told the engine's next deadline (monotonic nanoseconds) after each call, under the lock, so
     *     the stack's timer can wake earlier than it planned; must not block nor call back
     */
    DirectTcp(DirectIpv4 ipv4, MonotonicClock clock, Random random, ByteBufAllocator allocator, TcpConfig config,
            LongConsumer wakeTimer) {
        this.ipv4 = ipv4;
        this.clock = clock;
        this.allocator = allocator;
        this.wakeTimer = wakeTimer;
        this.random = random;
        this.config = config;
    }

    /**
     * Makes the engine for a link whose IPv4 packets carry at most {@code ipMtu} bytes; the stack calls it once,
     * from {@code connect()}, before frames arrive.
     */
    void start(int ipMtu) {
        start(ipMtu, false, 0);
    }

    /**
     * {@link #start(int)} over a device that finishes TCP checksums ({@code partialChecksums}) and cuts TCP segments
     * of up to {@code offloadSegmentLimit} octets, header included, into MSS-sized ones (0: it does not).
     */
    void start(int ipMtu, boolean partialChecksums, int offloadSegmentLimit) {
        // RFC 9293 section 3.7.1: the MSS we announce is the MTU minus the fixed IPv4 and TCP headers.
        int mss = Math.min(config.maxSegmentSize(), ipMtu - 20 - 20);
        this.partialChecksums = partialChecksums;
        lock.lock();
        try {
            engine = new TcpEngine(config.toBuilder().maxSegmentSize(mss).offloadSegmentLimit(offloadSegmentLimit).build(),
                    random, allocator, new Sink(), new Events());
        } finally {
            lock.unlock();
        }
    }

    // =================================================================================================================
    // Tcp

    /** {@inheritDoc} A port number outside 1 to 65535 is an {@link IllegalArgumentException}. */
    @Override
    public void listen(int port, FlowHandler handler) throws IOException {
        if (handler == null) throw new NullPointerException("handler");
        PortListener started;
        lock.lock();
        try {
            checkRunning();
            PortListener existing = ports.get(port);
            if (existing != null) {
                existing.handler = handler;
                return;
            }
            started = new PortListener(engine.listen(port), handler);
            ports.put(port, started);
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("tcp-accept-" + port).start(started::acceptLoop);
    }

    @Override
    public void unlisten(int port) {
        lock.lock();
        try {
            PortListener listener = ports.remove(port);
            if (listener == null || engine == null) return;
            engine.unlisten(port, now());
            listener.ready.signalAll(); // its accept loop sees the listener closed and ends
            afterCall();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc} From our address and a random ephemeral port (RFC 6056).
     *
     * @throws IllegalArgumentException for an IPv6 destination (the direct stack has no IPv6 yet) or a port outside
     *     1 to 65535
     * @throws java.net.NoRouteToHostException while the stack has no address
     */
    @Override
    public Flow connect(IpAddress destination, int port) throws IOException, InterruptedException {
        if (!(destination instanceof Ipv4Address remote)) {
            throw new IllegalArgumentException("The direct stack has no IPv6 yet: connect to an IPv4 address, not "
                    + destination + ".");
        }
        Routing routing = ipv4.routing();
        if (!routing.isConfigured()) throw Routing.notConfigured(remote);
        lock.lock();
        try {
            checkRunning();
            Connection c = engine.connect(routing.address(), remote, port, now());
            DirectFlow flow = register(c);
            afterCall();
            try {
                while (!c.isEstablished() && c.error() == null) flow.changed.await();
            } catch (InterruptedException e) {
                flow.abort(); // nobody will get the flow: end the half-open connection and release its buffers
                throw e;
            }
            if (c.error() != null) {
                flow.close(); // releases the connection's buffers; there is no one to hand the flow to
                throw new ConnectException("Connecting to " + remote + ":" + port + " failed: "
                        + c.error().describe() + ".");
            }
            return flow;
        } finally {
            lock.unlock();
        }
    }

    // =================================================================================================================
    // The stack's side

    /**
     * Hands one received segment to the engine, on the receive loop. Takes ownership of {@code segment} (the IPv4
     * payload) and releases it; never throws on malformed input (the engine counts and drops it).
     */
    void input(Ipv4Repr header, ByteBuf segment, long arrival) {
        input(header, segment, false, arrival);
    }

    /**
     * {@link #input(Ipv4Repr, ByteBuf, long)} of a segment whose checksum the device vouched for (verified, or
     * partial from the local host) when {@code checksumVouched}: it is not verified again.
     */
    void input(Ipv4Repr header, ByteBuf segment, boolean checksumVouched, long arrival) {
        lock.lock();
        try {
            if (engine == null) return; // not started: the receive loop runs only after start()
            // The time is read under the lock, not taken from the frame's arrival: every call into the engine must
            // see time move forward, or segments sent with an older timestamp than the last would fail the peer's
            // PAWS check (RFC 7323 section 5) and RTT samples would be wrong.
            receiving = Thread.currentThread() == receiveLoop;
            try {
                engine.input(header.source(), header.destination(), segment, checksumVouched, now());
            } finally {
                receiving = false;
            }
            afterCall();
            if (wakesDeferred && ++segmentsSinceDeferred >= MAX_DEFERRED_SEGMENTS) wakeDeferred();
        } finally {
            lock.unlock();
            segment.release();
        }
    }

    /**
     * Makes the calling thread, the stack's receive loop, defer the wake-ups of flows to the end of each burst; the
     * result is what the device calls at the end of each one ({@link org.mirage4j.api.net.Network#listen(
     * java.util.function.Consumer, Runnable)}). Segments input on any other thread (a test feeding frames itself)
     * wake their flows at once, since no burst end would follow them.
     */
    Runnable burstsOnThisThread() {
        receiveLoop = Thread.currentThread();
        return this::burstEnded;
    }

    /**
     * The receive loop read the last frame of a burst: wakes the flows whose data, space or state changed during it,
     * each once (see {@link Events#connectionChanged}). Takes the lock only if some wake-up waits.
     */
    void burstEnded() {
        if (!wakesDeferred) return;
        lock.lock();
        try {
            wakeDeferred();
        } finally {
            lock.unlock();
        }
    }

    /** Signals every flow in {@link #toWake}; under the lock. */
    private void wakeDeferred() {
        for (DirectFlow flow : toWake) {
            flow.wakeDeferred = false;
            flow.changed.signalAll();
        }
        toWake.clear();
        wakesDeferred = false;
        segmentsSinceDeferred = 0;
    }

    /**
     * Runs the engine's timers due now, on the stack's timer; returns the engine's next deadline. The time is read
     * under the lock (see {@link #input}); the timer's {@code now} is no later than that.
     */
    long poll() {
        lock.lock();
        try {
            return engine == null ? Long.MAX_VALUE : engine.poll(now());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Aborts every connection (with a reset) and stops every listener, waking every waiting thread: their flows
     * fail from now on, and {@link #listen} and {@link #connect} throw. Idempotent.
     */
    void stop() {
        lock.lock();
        try {
            if (stopped) return;
            stopped = true;
            if (engine == null) return;
            engine.abortAll(now());
            for (PortListener listener : ports.values()) listener.ready.signalAll();
            ports.clear();
            for (DirectFlow flow : flows.values()) flow.changed.signalAll();
            wakeDeferred();
        } finally {
            lock.unlock();
        }
    }

    /** The engine's counters and tables; {@code null} before the stack connected. */
    /** See {@link TcpEngine#describeConnections()}; empty before {@link #start}. */
    String describeConnections() {
        lock.lock();
        try {
            return engine == null ? "" : engine.describeConnections();
        } finally {
            lock.unlock();
        }
    }

    TcpStats stats() {
        lock.lock();
        try {
            return engine == null ? null : engine.stats();
        } finally {
            lock.unlock();
        }
    }

    /** Segments the engine sent that could not be handed to IPv4 (no address, or the device failed). */
    long sendFailures() {
        return sendFailures.get();
    }

    // =================================================================================================================
    // For flows (all under the lock)

    /** The time for a call into the engine: read under the lock, so that it never goes back from call to call. */
    long now() {
        return clock.elapsedNanos();
    }

    /** Tells the stack's timer when the engine wants it next; called under the lock after each call into the engine. */
    void afterCall() {
        wakeTimer.accept(engine.nextDeadline());
    }

    /** The flow closed: events for its connection no longer concern anyone. */
    void forget(Connection connection) {
        flows.remove(connection);
    }

    /** The buffer {@link Flow#read()} hands out: pooled, {@code size} bytes; the reader releases it. */
    ByteBuf readBuffer(int size) {
        return allocator.buffer(size, size);
    }

    private DirectFlow register(Connection c) {
        DirectFlow flow = new DirectFlow(this, c, lock.newCondition());
        flows.put(c, flow);
        return flow;
    }

    private void checkRunning() throws SocketException {
        if (stopped) throw new SocketException("The direct stack is disconnected: connect a new stack to use TCP again.");
        if (engine == null) throw new SocketException("The direct stack is not connected yet: connect() it before using TCP.");
    }

    /**
     * The engine's {@link org.mirage4j.tcpip.tcp.SegmentSink}: wraps the segment in IPv4, under the lock. Sending
     * never blocks (a datagram for an unresolved next hop waits in ARP's queue) and never throws into the engine:
     * a segment that cannot go out is counted as lost, and TCP's retransmission makes up for it.
     */
    private void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload, int segmentSize) {
        if (!source.equals(ipv4.routing().address())) {
            // The address changed (DHCP) under a connection: the checksum would be wrong; the peer would drop it.
            sendFailures.incrementAndGet();
            return;
        }
        int size = header.bufferLength(payload.readableBytes());
        try {
            if (partialChecksums) {
                // The device sums the segment (and cuts it, if longer than segmentSize): no checksum pass here.
                ipv4.sendPartialChecksum(destination, IpProtocol.TCP, size,
                        writer.of(header, source, destination, payload, true), TcpRepr.CHECKSUM_OFFSET,
                        segmentSize, clock.elapsedNanos());
            } else {
                ipv4.send(destination, IpProtocol.TCP, size, writer.of(header, source, destination, payload, false), false,
                        clock.elapsedNanos());
            }
        } catch (IOException | RuntimeException e) {
            if (sendFailures.incrementAndGet() <= 10) {
                LOG.log(Level.WARNING, "A TCP segment to " + destination + " could not be sent; TCP will retransmit it", e);
            }
        }
    }

    /**
     * The filler that writes a segment into the datagram IPv4 sends: one, reused under the lock, rather than a
     * lambda capturing the header and payload per segment. IPv4 calls it before {@code send} returns, also for a
     * datagram that waits for ARP (which it writes into a buffer of its own first).
     */
    private static final class SegmentWriter implements Consumer<ByteBuf> {
        private TcpRepr header;
        private Ipv4Address source;
        private Ipv4Address destination;
        private ByteBuf payload; // borrowed for the one call
        private boolean partialChecksum;

        SegmentWriter of(TcpRepr header, Ipv4Address source, Ipv4Address destination, ByteBuf payload,
                boolean partialChecksum) {
            this.header = header;
            this.source = source;
            this.destination = destination;
            this.payload = payload;
            this.partialChecksum = partialChecksum;
            return this;
        }

        @Override
        public void accept(ByteBuf buf) {
            header.emit(buf, source, destination, payload, partialChecksum);
        }
    }

    /** The engine's {@link SegmentSink}: {@link #send}, with the size the device is to cut a large segment into. */
    private final class Sink implements SegmentSink {
        @Override
        public void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload) {
            DirectTcp.this.send(source, destination, header, payload, 0);
        }

        @Override
        public void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload, int segmentSize) {
            DirectTcp.this.send(source, destination, header, payload, segmentSize);
        }
    }

    /** Wakes whoever waits on what changed; under the lock, called by the engine (see {@link TcpEvents}). */
    private final class Events implements TcpEvents {
        @Override
        public void connectionChanged(Connection connection) {
            DirectFlow flow = flows.get(connection);
            if (flow == null) return;
            if (!receiving) {
                flow.changed.signalAll();
            } else if (!flow.wakeDeferred) {
                // Proposal 2 of issue 8: on the receive loop, a signal per segment unparks the flow's reader per
                // segment (a virtual-thread wake-up costs more than the segment); deferred to the end of the burst
                // (burstEnded), the reader wakes once and reads the whole burst.
                flow.wakeDeferred = true;
                toWake.add(flow);
                wakesDeferred = true;
            }
        }

        @Override
        public void acceptReady(Listener listener) {
            PortListener port = ports.get(listener.port());
            if (port != null && port.listener == listener) port.ready.signalAll();
        }
    }

    /** One listening port: the engine's {@link Listener}, the handler, and the accept loop's thread. */
    private final class PortListener {
        final Listener listener;
        final Condition ready = lock.newCondition();
        volatile FlowHandler handler; // listen() may replace it; new connections get the newest

        PortListener(Listener listener, FlowHandler handler) {
            this.listener = listener;
            this.handler = handler;
        }

        /** On the port's own virtual thread: takes each established connection and starts its handler. */
        void acceptLoop() {
            while (true) {
                DirectFlow flow;
                lock.lock();
                try {
                    Connection c;
                    while ((c = listener.accept()) == null) {
                        if (listener.isClosed() || stopped) return;
                        ready.awaitUninterruptibly(); // unlisten and disconnect signal; nobody interrupts this thread
                    }
                    flow = register(c);
                } finally {
                    lock.unlock();
                }
                FlowHandler h = handler;
                try {
                    Thread.ofVirtual().name("tcp-" + listener.port() + "-" + flow.remoteAddress() + ":" + flow.remotePort())
                            .start(() -> serve(flow, h));
                } catch (RuntimeException | OutOfMemoryError e) {
                    flow.close(); // we never started the handler, so the flow is ours to close
                    LOG.log(Level.ERROR, "Could not start a thread for a connection to port " + listener.port(), e);
                }
            }
        }
    }

    /** On the connection's own virtual thread: runs the handler, then closes the flow whatever happened. */
    private static void serve(DirectFlow flow, FlowHandler handler) {
        try {
            handler.handle(flow);
        } catch (SocketException e) {
            // A reset or failed connection is what any remote host causes at will: at WARNING, a peer resetting
            // connections would write a stack trace per connection into the log.
            LOG.log(Level.DEBUG, () -> "The connection of " + flow + " ended under its handler: " + e.getMessage());
        } catch (Exception e) {
            // The API's contract: an exception ends only this connection. It is logged, not rethrown; past the
            // first few, at DEBUG, so that input a peer controls cannot fill the log.
            Level level = HANDLER_FAILURES.incrementAndGet() <= LOGGED_HANDLER_FAILURES ? Level.WARNING : Level.DEBUG;
            LOG.log(level, "The handler of " + flow + " failed; closing its connection", e);
        } finally {
            flow.close(); // the handler returned or threw: the flow is ours again, and closing is idempotent
        }
    }
}
