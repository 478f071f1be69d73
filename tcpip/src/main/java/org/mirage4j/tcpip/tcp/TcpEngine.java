package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The TCP protocol engine for one IPv4 host: it demultiplexes segments to connections by four-tuple, owns the
 * listeners (with their bounded backlogs and SYN cookies), the bounded TIME-WAIT table and every connection's
 * timers, and answers segments for nothing with a reset (RFC 9293 section 3.10.7.1).
 *
 * <p><b>Sans-IO.</b> The engine does no I/O, starts no thread and reads no clock. Segments come in through
 * {@link #input} with the time of arrival; the application side calls {@link #listen}, {@link #connect} and the
 * {@link Connection} methods, with the time; segments leave through the {@link SegmentSink} during those calls;
 * {@link #poll} runs the timers that are due and says when to call it again. Time is any monotonic clock in
 * nanoseconds, the same for every call; a time earlier than one already seen is taken as that one.
 *
 * <pre>{@code
 *   IPv4 receive ──input(src, dst, segment, now)──▶ ┌───────────┐ ──sink.send(src, dst, header, payload)──▶ IPv4 send
 *   timer thread ──poll(now) ◀── next deadline ──── │ TcpEngine │
 *   applications ──connect / listen / Connection ─▶ └───────────┘ ──events.connectionChanged──▶ wake waiters
 * }</pre>
 *
 * <p><b>Threads.</b> Not thread-safe. The caller serializes every call into the engine, its {@link Connection}s and
 * {@link Listener}s with one lock (the receive loop, the timer and application threads all take it). The sink and
 * the events are called under that lock, from inside those calls, and must not call back into the engine.
 *
 * <p><b>Buffers.</b> {@link #input} borrows the segment: the caller releases it after the call. Each connection
 * copies what it keeps into its own send and receive buffers, pooled from the allocator given, bounded by
 * {@link TcpConfig#sendBufferSize()} and {@link TcpConfig#receiveBufferSize()}, and given back when the connection
 * ends ({@link Connection#close} or {@link Connection#abort} for one the application holds). Payloads passed to the
 * sink are borrowed slices of a send buffer.
 */
public final class TcpEngine {

    /** The ephemeral port range IANA suggests (RFC 6056 section 2.1). */
    static final int EPHEMERAL_FIRST = 49_152;
    static final int EPHEMERAL_LAST = 65_535;
    private static final long SECOND = 1_000_000_000L;

    private final TcpConfig config;
    private final Random random;
    private final ByteBufAllocator allocator;
    private final SegmentSink sink;
    private final TcpEvents events;
    private final IsnGenerator isn;
    private final SynCookies cookies;
    private final Map<FourTuple, Connection> connections = new HashMap<>();
    private final IntObjectHashMap<Listener> listeners = new IntObjectHashMap<>(); // by port: no Integer per segment
    private final LinkedHashSet<Connection> timeWait = new LinkedHashSet<>();
    private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>(Comparator.comparingLong(TimerEntry::deadline));
    private final long[] counters = new long[TcpCounter.values().length];
    private final TcpPacket view = new TcpPacket();
    private Connection lastFound; // the connection the last segment found in the table; null once it closed
    private long latest = Long.MIN_VALUE; // the latest time any call brought
    private long challengeSecond = Long.MIN_VALUE;
    private int challengeAcks;

    /** One wake-up of one connection; stale once the connection's {@code timerEntry} is another. */
    record TimerEntry(long deadline, Connection connection) {}

    /**
     * Makes an engine.
     *
     * @param random the source of the secret keys for initial sequence numbers and SYN cookies, and of ports
     * @param allocator where the connections' send and receive buffers come from (a pooled allocator)
     * @param sink where segments go
     * @param events whom to tell about connections and listeners that changed
     */
    public TcpEngine(TcpConfig config, Random random, ByteBufAllocator allocator, SegmentSink sink, TcpEvents events) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.events = Objects.requireNonNull(events, "events");
        this.isn = new IsnGenerator(new KeyedHash(random));
        this.cookies = new SynCookies(new KeyedHash(random));
    }

    /** The engine's settings. */
    public TcpConfig config() {
        return config;
    }

    // =================================================================================================================
    // The application's side

    /** Listens on {@code port} with the configured backlog; see {@link #listen(int, int)}. */
    public Listener listen(int port) {
        return listen(port, config.acceptBacklog());
    }

    /**
     * Listens on {@code port}, on every local address: SYNs to it open connections, which wait in the listener
     * until accepted.
     *
     * @param backlog the most connections opening or waiting to be accepted
     * @throws IllegalArgumentException if the port is not 1 to 65535 or the backlog not positive
     * @throws IllegalStateException if something listens on the port already
     */
    public Listener listen(int port, int backlog) {
        checkPort("A port to listen on", port);
        if (backlog < 1) throw new IllegalArgumentException("A listen backlog is at least 1, not " + backlog + ".");
        if (listeners.containsKey(port)) {
            throw new IllegalStateException("TCP port " + port + " is listened on already: unlisten it first.");
        }
        Listener listener = new Listener(port, backlog);
        listeners.put(port, listener);
        return listener;
    }

    /** The listener on {@code port}, or {@code null}. */
    public Listener listener(int port) {
        return listeners.get(port);
    }

    /**
     * Stops listening on {@code port}. Connections it opened and nobody accepted are reset; accepted ones go on.
     */
    public void unlisten(int port, long now) {
        now = time(now);
        Listener listener = listeners.remove(port);
        if (listener == null) return;
        List<Connection> orphans = new ArrayList<>(listener.close());
        for (Connection c : connections.values()) {
            if (c.listener() == listener && c.state() == TcpState.SYN_RECEIVED) orphans.add(c);
        }
        for (Connection c : orphans) {
            c.evict(now);
            afterCall(c);
        }
    }

    /**
     * Opens a connection from {@code localAddress} and an ephemeral port chosen at random (RFC 6056) to
     * {@code remoteAddress}:{@code remotePort}: sends the SYN. The connection is the caller's; it is established
     * when {@link Connection#isEstablished()} (or fails, see {@link Connection#error()}).
     *
     * @throws IllegalArgumentException if the remote port is not 1 to 65535
     * @throws IllegalStateException if every ephemeral port is in use towards that peer
     */
    public Connection connect(Ipv4Address localAddress, Ipv4Address remoteAddress, int remotePort, long now) {
        checkPort("A port to connect to", remotePort);
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = random.nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = EPHEMERAL_FIRST + (start + i) % range;
            FourTuple tuple = new FourTuple(localAddress, port, remoteAddress, remotePort);
            if (!connections.containsKey(tuple)) return connect(tuple, now);
        }
        throw new IllegalStateException("Every ephemeral port towards " + remoteAddress + ":" + remotePort
                + " is in use: close connections first.");
    }

    /**
     * Opens a connection with the given four-tuple: sends the SYN.
     *
     * @throws IllegalStateException if a connection with that four-tuple exists
     */
    public Connection connect(FourTuple tuple, long now) {
        now = time(now);
        checkPort("A local port", tuple.localPort());
        checkPort("A port to connect to", tuple.remotePort());
        if (connections.containsKey(tuple)) {
            throw new IllegalStateException("A connection " + tuple + " exists already: use another local port.");
        }
        Connection c = new Connection(this, tuple, config, allocator, isn.isn(tuple, now), random.nextInt(), null, now);
        connections.put(tuple, c);
        count(TcpCounter.ACTIVE_OPENS);
        c.open(now);
        afterCall(c);
        return c;
    }

    // =================================================================================================================
    // Segments and time

    /**
     * Handles one segment that arrived in an IPv4 datagram from {@code source} to {@code destination} (one of our
     * addresses). Malformed segments and bad checksums are counted and dropped; nothing thrown.
     *
     * @param segment borrowed: its readable bytes are the TCP header and data (the IPv4 payload); the caller keeps
     *     ownership and releases it after the call. Its reader index moves during the call and is back where it was
     *     when the call returns.
     */
    public void input(Ipv4Address source, Ipv4Address destination, ByteBuf segment, long now) {
        input(source, destination, segment, false, now);
    }

    /**
     * {@link #input(Ipv4Address, Ipv4Address, ByteBuf, long)}, trusting the checksum without verifying it when
     * {@code checksumVouched}: the network device verified it or the segment comes from the local host with its
     * checksum left partial (see {@link TcpRepr#parse(org.mirage4j.tcpip.wire.TcpPacket, Ipv4Address, Ipv4Address,
     * boolean)}). Such a segment may carry more than the MSS: the device coalesced several (GRO).
     *
     * @param segment borrowed, as for the other {@code input}
     */
    public void input(Ipv4Address source, Ipv4Address destination, ByteBuf segment, boolean checksumVouched, long now) {
        now = time(now);
        count(TcpCounter.SEGMENTS_RECEIVED);
        if (view.wrap(segment) != null) {
            count(TcpCounter.MALFORMED);
            return;
        }
        // TcpRepr.parse's checks, without a Parsed per segment.
        if (!checksumVouched && !view.checksumValid(source, destination)) {
            count(TcpCounter.BAD_CHECKSUM);
            return;
        }
        TcpRepr seg = TcpRepr.decode(view); // null: an option of a known kind with the wrong length
        if (seg == null || seg.sourcePort() == 0 || seg.destinationPort() == 0) {
            count(TcpCounter.MALFORMED); // port 0 names no endpoint
            return;
        }
        // The data is the segment's own buffer from the payload on, rather than a slice of it (an allocation per
        // segment, and another for every copy out of a slice): its reader index moves past the header for the call
        // and back after it, so the caller gets the buffer as it gave it.
        int readerIndex = segment.readerIndex();
        segment.readerIndex(view.payloadIndex());
        try {
            input(source, destination, seg, segment, now);
        } finally {
            segment.readerIndex(readerIndex);
        }
    }

    /** Demultiplexes a parsed segment; {@code payload} is borrowed, its readable bytes the segment's data. */
    private void input(Ipv4Address source, Ipv4Address destination, TcpRepr seg, ByteBuf payload, long now) {
        Connection c = find(destination, seg.destinationPort(), source, seg.sourcePort());
        FourTuple tuple = c != null ? c.tuple()
                : new FourTuple(destination, seg.destinationPort(), source, seg.sourcePort());
        if (c != null) {
            Listener listener = listeners.get(seg.destinationPort());
            boolean freshSyn = seg.syn() && !seg.hasAck() && !seg.rst();
            if (listener != null && config.synCookies() && c.halfOpenAndAckedElsewhere(seg)
                    && cookies.decode(tuple, seg.seq().plus(-1), seg.ack().plus(-1), now) >= 0) {
                // The peer took our cookie SYN-ACK; this connection came from its resent SYN (Linux's tcp_check_req
                // falls back to the listener's cookie check the same way).
                count(TcpCounter.SYN_COOKIES_PREFERRED);
                c.forgetHalfOpen();
                afterCall(c);
                acceptCookie(listener, tuple, seg, payload, now);
                return;
            }
            if (!(freshSyn && listener != null && c.reusableBy(seg))) {
                c.input(seg, payload, now);
                return;
            }
            count(TcpCounter.TIME_WAIT_REUSED); // RFC 6191: the old incarnation gives way to the new one
            c.evict(now);
            afterCall(c);
        }
        Listener listener = listeners.get(seg.destinationPort());
        if (listener != null) {
            listenInput(listener, tuple, seg, payload, now);
        } else {
            resetForNothing(tuple, seg, payload.readableBytes());
        }
    }

    /**
     * The connection with this four-tuple, or {@code null}. Most segments belong to the same connection as the one
     * before, so that one is compared field by field first; the table is looked up (with a {@link FourTuple} made
     * for it) only when it differs. {@link #closed} forgets it when it leaves the table.
     */
    private Connection find(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort) {
        Connection last = lastFound;
        if (last != null) {
            FourTuple t = last.tuple();
            if (t.localPort() == localPort && t.remotePort() == remotePort && t.localAddress().equals(localAddress)
                    && t.remoteAddress().equals(remoteAddress)) {
                return last;
            }
        }
        Connection c = connections.get(new FourTuple(localAddress, localPort, remoteAddress, remotePort));
        if (c != null) lastFound = c;
        return c;
    }

    /** RFC 9293 section 3.10.7.2: a segment to a listener. */
    private void listenInput(Listener listener, FourTuple tuple, TcpRepr seg, ByteBuf payload, long now) {
        if (seg.rst()) return;
        if (seg.hasAck()) {
            if (!seg.syn() && config.synCookies() && acceptCookie(listener, tuple, seg, payload, now)) return;
            sendReset(tuple, seg.ack(), SeqNum.ZERO, TcpRepr.RST);
            return;
        }
        if (!seg.syn()) return;
        if (listener.full()) {
            count(TcpCounter.LISTEN_OVERFLOWS);
            if (config.synCookies()) sendCookie(tuple, seg, now);
            return;
        }
        Connection c = new Connection(this, tuple, config, allocator, isn.isn(tuple, now), random.nextInt(), listener, now);
        connections.put(tuple, c);
        listener.opened();
        count(TcpCounter.PASSIVE_OPENS);
        c.acceptSyn(seg, now);
        afterCall(c);
    }

    /** Answers a SYN to a full listener with a SYN-ACK whose ISN is a cookie, keeping no state. */
    private void sendCookie(FourTuple tuple, TcpRepr syn, long now) {
        int peerMss = syn.maxSegmentSize() == 0 ? Handshake.DEFAULT_MSS : syn.maxSegmentSize();
        int index = SynCookies.mssIndex(Math.min(peerMss, config.maxSegmentSize()));
        SeqNum cookie = cookies.encode(tuple, syn.seq(), index, now);
        TcpRepr synAck = Handshake.synAck(config, tuple, cookie, syn.seq().plus(1),
                Math.min(config.receiveBufferSize(), 0xFFFF), Handshake.Options.cookie(SynCookies.MSS_TABLE[index]), 0, 0);
        count(TcpCounter.SYN_COOKIES_SENT);
        transmit(tuple, synAck, Unpooled.EMPTY_BUFFER);
    }

    /** An ACK to a listener: if it returns a valid cookie, the connection opens, established. */
    private boolean acceptCookie(Listener listener, FourTuple tuple, TcpRepr ack, ByteBuf payload, long now) {
        int mss = cookies.decode(tuple, ack.seq().plus(-1), ack.ack().plus(-1), now);
        if (mss < 0) {
            count(TcpCounter.SYN_COOKIES_REJECTED);
            return false;
        }
        if (listener.acceptable() >= listener.backlog()) {
            count(TcpCounter.LISTEN_OVERFLOWS);
            return true; // no room even in the accept queue: drop; the peer will resend
        }
        Connection c = new Connection(this, tuple, config, allocator, ack.ack().plus(-1), random.nextInt(), listener, now);
        connections.put(tuple, c);
        count(TcpCounter.PASSIVE_OPENS);
        count(TcpCounter.SYN_COOKIES_ACCEPTED);
        c.acceptCookie(ack, Math.min(mss, config.maxSegmentSize()), now);
        c.input(ack, payload, now); // the ACK may carry data or a FIN
        return true;
    }

    /** RFC 9293 section 3.10.7.1: a segment for no connection is answered with a reset, unless it is one. */
    private void resetForNothing(FourTuple tuple, TcpRepr seg, int dataLength) {
        if (seg.rst()) return;
        count(TcpCounter.NO_CONNECTION);
        if (seg.hasAck()) {
            sendReset(tuple, seg.ack(), SeqNum.ZERO, TcpRepr.RST);
        } else {
            int length = dataLength + (seg.syn() ? 1 : 0) + (seg.fin() ? 1 : 0);
            sendReset(tuple, SeqNum.ZERO, seg.seq().plus(length), TcpRepr.RST | TcpRepr.ACK);
        }
    }

    private void sendReset(FourTuple tuple, SeqNum seq, SeqNum ack, int flags) {
        count(TcpCounter.RESETS_SENT);
        transmit(tuple, TcpRepr.of(tuple.localPort(), tuple.remotePort(), seq, ack, flags, 0), Unpooled.EMPTY_BUFFER);
    }

    /**
     * Runs every timer due at {@code now}: retransmissions, zero-window probes, delayed ACKs, keepalives, the ends of
     * TIME-WAIT and of handshakes that ran out of retries.
     *
     * @return when to call again at the latest ({@link #nextDeadline()})
     */
    public long poll(long now) {
        now = time(now);
        while (!timers.isEmpty() && timers.peek().deadline() <= now) {
            TimerEntry entry = timers.poll();
            Connection c = entry.connection();
            if (c.timerEntry != entry) continue; // superseded by an earlier wake-up, or the connection ended
            c.timerEntry = null;
            if (c.nextDeadline() <= now) c.onTimer(now);
            afterCall(c);
        }
        return nextDeadline();
    }

    /** When {@link #poll} has work next, in the nanoseconds of {@code now}; {@link Long#MAX_VALUE} if never. */
    public long nextDeadline() {
        // Connections push a wake-up only when their deadline moves earlier (not on every ACK that restarts a
        // timer); here the earliest wake-up is made exact: superseded ones are dropped, late-moved ones moved.
        while (!timers.isEmpty()) {
            TimerEntry first = timers.peek();
            Connection c = first.connection();
            if (c.timerEntry == first) {
                long actual = c.state() == TcpState.CLOSED ? Connection.NONE : c.nextDeadline();
                if (actual == first.deadline()) break;
                c.timerEntry = null;
                timers.poll();
                reschedule(c);
            } else {
                timers.poll();
            }
        }
        return timers.isEmpty() ? Long.MAX_VALUE : timers.peek().deadline();
    }

    /** Aborts every connection (with a reset where the peer holds state) and stops every listener; for shutdown. */
    public void abortAll(long now) {
        now = time(now);
        for (Integer port : List.copyOf(listeners.keySet())) unlisten(port, now);
        for (Connection c : List.copyOf(connections.values())) {
            c.evict(now);
            afterCall(c);
        }
    }

    /** A snapshot of the counters and tables. */
    /** Every connection's sequence variables and timers, one line each: for diagnosing a stalled transfer. */
    public String describeConnections() {
        StringBuilder lines = new StringBuilder();
        for (Connection c : connections.values()) lines.append(c.describe()).append('\n');
        return lines.toString();
    }

    public TcpStats stats() {
        return TcpStats.of(counters.clone(), connections.size(), timeWait.size(), listeners.size());
    }

    /** The connection with {@code tuple}, or {@code null}: for diagnostics and tests. */
    public Connection connection(FourTuple tuple) {
        return connections.get(tuple);
    }

    // =================================================================================================================
    // For connections

    /**
     * The time for a call: {@code now}, or the latest time an earlier call brought if that is later. Time read from
     * a clock on several threads can reach the engine out of order; were it to go back, segments would carry older
     * timestamps than segments already sent, and the peer's PAWS check (RFC 7323 section 5) would drop them.
     */
    long time(long now) {
        if (now > latest) latest = now;
        return latest;
    }

    /** A connection changed: reschedule its timer, count its retransmits, tell the application side. */
    void afterCall(Connection c) {
        long retransmits = c.sender.retransmits();
        if (retransmits != c.retransmitsCounted) {
            count(TcpCounter.RETRANSMITS, retransmits - c.retransmitsCounted);
            c.retransmitsCounted = retransmits;
        }
        reschedule(c);
        if (c.takeChanged()) events.connectionChanged(c);
    }

    private void reschedule(Connection c) {
        long deadline = c.state() == TcpState.CLOSED ? Connection.NONE : c.nextDeadline();
        if (deadline == Connection.NONE) {
            c.timerEntry = null;
            return;
        }
        if (c.timerEntry != null && c.timerEntry.deadline() <= deadline) return; // it wakes up early and looks again
        TimerEntry entry = new TimerEntry(deadline, c);
        c.timerEntry = entry;
        timers.add(entry);
    }

    void transmit(FourTuple tuple, TcpRepr header, ByteBuf payload) {
        transmit(tuple, header, payload, 0);
    }

    /** Sends a segment; one larger than {@code segmentSize} (if not 0) is for the device to cut (see {@link SegmentSink}). */
    void transmit(FourTuple tuple, TcpRepr header, ByteBuf payload, int segmentSize) {
        count(TcpCounter.SEGMENTS_SENT);
        sink.send(tuple.localAddress(), tuple.remoteAddress(), header, payload, segmentSize);
    }

    void count(TcpCounter counter) {
        counters[counter.ordinal()]++;
    }

    void count(TcpCounter counter, long n) {
        counters[counter.ordinal()] += n;
    }

    /** RFC 5961 section 7: at most {@link TcpConfig#challengeAckLimit()} challenge ACKs per second. */
    boolean allowChallengeAck(long now) {
        if (challengeSecond == Long.MIN_VALUE || now - challengeSecond >= SECOND) {
            challengeSecond = now;
            challengeAcks = 0;
        }
        return challengeAcks++ < config.challengeAckLimit();
    }

    /** {@code c} completed its handshake; a passive one joins its listener's accept queue. */
    void established(Connection c, boolean wasHalfOpen) {
        count(TcpCounter.ESTABLISHED);
        Listener listener = c.listener();
        if (listener == null) return;
        if (listener.isClosed()) {
            return; // unlisten reset the half-open ones; a cookie connection cannot reach here after it
        }
        listener.established(c, wasHalfOpen);
        events.acceptReady(listener);
    }

    /** {@code c} entered TIME-WAIT: the table is bounded, so the oldest may have to go. */
    void enteredTimeWait(Connection c, long now) {
        timeWait.add(c);
        while (timeWait.size() > config.timeWaitLimit()) {
            Iterator<Connection> oldest = timeWait.iterator();
            Connection evicted = oldest.next();
            oldest.remove();
            count(TcpCounter.TIME_WAIT_EVICTED);
            evicted.evict(now);
            if (evicted != c) afterCall(evicted);
        }
    }

    /** {@code c} reached CLOSED: it leaves the tables. */
    void closed(Connection c) {
        if (lastFound == c) lastFound = null;
        connections.remove(c.tuple(), c);
        timeWait.remove(c);
        c.timerEntry = null;
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 0xFFFF) throw new IllegalArgumentException(what + " is 1 to 65535, not " + port + ".");
    }
}
