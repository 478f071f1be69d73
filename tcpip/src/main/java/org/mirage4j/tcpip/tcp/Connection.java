package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * One TCP connection: the state machine of RFC 9293 section 3.10 over a {@link Sender} and a {@link Receiver},
 * with the protections of RFC 5961 (challenge ACKs for resets and SYNs that are not exactly right) and RFC 7323
 * (timestamps and PAWS).
 *
 * <p>The application side ({@link #write}, {@link #read}, {@link #shutdownOutput}, {@link #close}, {@link #abort})
 * copies data in and out of the connection's bounded buffers and never blocks: {@link #sendSpace()} of 0 means the
 * send buffer is full (backpressure), {@link #readable()} of 0 that nothing arrived. Whoever blocks a thread on
 * that waits for {@link TcpEvents#connectionChanged}. Every method that may send takes the time, {@code now}, in
 * monotonic nanoseconds; none reads a clock or does I/O: segments go out through the engine's {@link SegmentSink}
 * before the method returns.
 *
 * <p>Not thread-safe: a connection belongs to its {@link TcpEngine}, and every call into either must hold the same
 * lock.
 */
public final class Connection {

    static final long NONE = Long.MAX_VALUE;
    /** RFC 7323 section 5.5: a TS.Recent older than 24 days is no longer trusted for PAWS. */
    private static final long PAWS_IDLE_NANOS = Duration.ofDays(24).toNanos();
    /** The least time between answers to unacceptable empty segments. */
    static final long UNACCEPTABLE_ACK_INTERVAL = 500_000_000L;
    /**
     * How long emptied send and receive buffers stay held after data last went through them: a busy connection
     * reuses them segment after segment, an idle one gives them back (see {@link RingBuffer}).
     */
    static final long IDLE_BUFFER_NANOS = 1_000_000_000L;
    /** Timestamp clock: one tick per millisecond (RFC 7323 section 5.4 asks for 1 ms to 1 s). */
    private static final long TS_TICK_NANOS = 1_000_000L;

    private final TcpEngine engine;
    private final FourTuple tuple;
    private final TcpConfig config;
    final Sender sender;
    final Receiver receiver;
    private final Listener listener; // the listener that opened it, while it is not yet accepted; null if active
    private final boolean passive;
    private TcpState state;
    private TcpError error;
    private Handshake.Options options;
    private final int tsOffset;
    private int tsRecent;
    private long tsRecentAge;
    private boolean tsRecentValid;
    private boolean finProcessed;
    private boolean appClosed;
    private boolean synRetransmitted;
    private long synSentAt;
    private boolean keepalive;
    private int keepaliveProbes;
    private long lastReceived;
    private long lastActive; // when data last went into or out of the buffers (or a segment arrived)
    private long timeWaitDeadline = NONE;
    private long finWait2Deadline = NONE;
    private long segmentsSent;
    private long lastUnacceptableAck = NONE;
    private long segmentsReceived;
    private boolean established; // reached ESTABLISHED once
    private boolean changed; // something the application may wait for changed since the engine last looked
    TcpEngine.TimerEntry timerEntry; // the engine's: this connection's entry in its timer queue
    long retransmitsCounted; // the engine's: how many of the sender's retransmits it added to its counter

    Connection(TcpEngine engine, FourTuple tuple, TcpConfig config, ByteBufAllocator allocator, SeqNum iss,
            int tsOffset, Listener listener, long now) {
        this.engine = engine;
        this.tuple = tuple;
        this.config = config;
        this.listener = listener;
        this.passive = listener != null;
        this.tsOffset = tsOffset;
        this.sender = new Sender(allocator, config, new Output());
        this.receiver = new Receiver(allocator, config.receiveBufferSize(), config.outOfOrderLimit(),
                config.delayedAck().toNanos(), config.maxSegmentSize());
        this.sender.start(iss);
        this.state = TcpState.CLOSED;
        this.lastReceived = now;
        this.lastActive = now;
    }

    // =================================================================================================================
    // The application's side

    /** The addresses and ports of the connection. */
    public FourTuple tuple() {
        return tuple;
    }

    /** The connection's state now. */
    public TcpState state() {
        return state;
    }

    /** Why the connection failed, or {@code null} while it has not (a normal close is no failure). */
    public TcpError error() {
        return error;
    }

    /** Whether the connection is established (or was, and is closing): the handshake completed. */
    public boolean isEstablished() {
        return state.isSynchronized();
    }

    /**
     * Queues readable bytes of {@code data} to send, as many as the send buffer has room for, and sends what the
     * windows allow. Copies: the caller keeps ownership of {@code data}, whose reader index moves past what was
     * taken. Data written before the connection is established waits for it.
     *
     * @return how many octets were taken: 0 when the send buffer is full; -1 when the connection can no longer send
     *     (it failed, see {@link #error()}, or its sending side was shut down)
     */
    public int write(ByteBuf data, long now) {
        now = engine.time(now);
        if (error != null || !state.sendsData() || sender.finQueued()) return -1;
        int taken = sender.write(data, data.readableBytes());
        if (taken > 0) lastActive = now;
        if (taken > 0 && canSend()) sender.output(now);
        engine.afterCall(this);
        return taken;
    }

    /** Free space in the send buffer: how much {@link #write} takes now. 0 means full; wait for a change. */
    public int sendSpace() {
        return error != null || !state.sendsData() ? 0 : sender.sendSpace();
    }

    /** Octets written and not yet acknowledged by the peer. */
    public int unacknowledged() {
        return sender.queued();
    }

    /**
     * Moves received data into {@code dst}, up to its writable bytes. Copies: the caller keeps ownership of
     * {@code dst}. May send a window update, so it takes the time.
     *
     * @return how many octets moved; 0 if none are there yet; -1 at the end of the stream (the peer closed its side
     *     and everything before was read) or once the connection failed (see {@link #error()})
     */
    public int read(ByteBuf dst, long now) {
        now = engine.time(now);
        int n = receiver.read(dst);
        if (n > 0) lastActive = now;
        if (n == 0) {
            if (error != null || receiver.finReceived() || state == TcpState.CLOSED) return -1;
            return 0;
        }
        if (state.receivesData() && receiver.windowUpdateDue()) sendAck(now);
        if (receiver.readable() == 0 && state == TcpState.CLOSED) receiver.release();
        engine.afterCall(this);
        return n;
    }

    /** Octets received in order and not yet read. */
    public int readable() {
        return receiver.readable();
    }

    /** Whether reading is over: the peer's FIN arrived and everything before it was read, or the connection failed. */
    public boolean isEndOfStream() {
        return receiver.readable() == 0 && (receiver.finReceived() || error != null || state == TcpState.CLOSED);
    }

    /**
     * Closes the sending side: a FIN follows the data already queued (RFC 9293 section 3.10.4). Reading goes on
     * until the peer closes its side. Does nothing if sending is already shut down.
     */
    public void shutdownOutput(long now) {
        now = engine.time(now);
        switch (state) {
            case SYN_SENT -> {
                // RFC 9293 section 3.10.4: nothing was sent yet; forget the connection.
                closeQuietly();
            }
            case SYN_RECEIVED -> sender.queueFin(); // the FIN goes out once the handshake completes
            case ESTABLISHED -> {
                sender.queueFin();
                setState(TcpState.FIN_WAIT_1);
                sender.output(now);
            }
            case CLOSE_WAIT -> {
                sender.queueFin();
                setState(TcpState.LAST_ACK);
                sender.output(now);
            }
            default -> {}
        }
        engine.afterCall(this);
    }

    /**
     * Closes the connection: the application is done with it and will not read or write again. Queued data is still
     * sent, then a FIN. If received data was left unread, the peer is told with a reset instead (RFC 2525 section
     * 2.17, as Linux does). Idempotent.
     */
    public void close(long now) {
        now = engine.time(now);
        if (appClosed) return;
        appClosed = true;
        if (state == TcpState.CLOSED || error != null) {
            releaseBuffers();
        } else if (receiver.readable() > 0) {
            abortWithReset(TcpError.ABORTED, now);
        } else {
            receiver.release();
            shutdownOutput(now);
            if (state == TcpState.FIN_WAIT_2) finWait2Deadline = now + config.finWait2Timeout().toNanos();
        }
        engine.afterCall(this);
    }

    /** Aborts the connection with a reset (RFC 9293 section 3.10.5); queued and unread data is dropped. Idempotent. */
    public void abort(long now) {
        now = engine.time(now);
        appClosed = true;
        if (state != TcpState.CLOSED) abortWithReset(TcpError.ABORTED, now);
        releaseBuffers();
        engine.afterCall(this);
    }

    /** Turns Nagle's algorithm off ({@code true}: small segments go at once) or on. */
    public void setNoDelay(boolean noDelay, long now) {
        now = engine.time(now);
        sender.setNoDelay(noDelay);
        if (noDelay && canSend()) sender.output(now);
        engine.afterCall(this);
    }

    /** Whether Nagle's algorithm is off. */
    public boolean noDelay() {
        return sender.noDelay();
    }

    /** Turns keepalive probes on or off (RFC 1122 section 4.2.3.6), with the engine's {@link TcpConfig#keepalive()} timing. */
    public void setKeepAlive(boolean on, long now) {
        now = engine.time(now);
        keepalive = on;
        keepaliveProbes = 0;
        lastReceived = Math.max(lastReceived, now);
        engine.afterCall(this);
    }

    /** A snapshot of the connection's counters and estimates. */
    public ConnectionStats stats() {
        var cc = sender.congestionControl();
        return new ConnectionStats(state, sender.bytesAcked(), receiver.bytesReceived(), segmentsSent,
                segmentsReceived, sender.retransmits(), sender.fastRetransmits(), sender.timeoutCount(),
                Duration.ofNanos(sender.rtt.srtt()), Duration.ofNanos(sender.rtt.rttvar()),
                Duration.ofNanos(sender.rtt.rto()), cc.cwnd(), cc.ssthresh(), sender.sndWnd(),
                receiver.rcvWnd(), sender.smss());
    }

    @Override
    public String toString() {
        return "Connection[" + tuple + " " + state + (error == null ? "" : " " + error) + "]";
    }

    /** The sequence variables and timers, for diagnostics. */
    String describe() {
        return toString() + " " + sender.describe() + " rcvNxt=" + receiver.rcvNxt() + " rcvWnd=" + receiver.rcvWnd()
                + " ackDeadline=" + receiver.ackDeadline() + " next=" + nextDeadline();
    }

    // =================================================================================================================
    // Opening

    /** Active open (RFC 9293 section 3.10.1): sends the SYN. */
    void open(long now) {
        setState(TcpState.SYN_SENT);
        sendSyn(now);
        sender.synSent();
        synSentAt = now;
        sender.armHandshakeTimer(now);
    }

    /** Passive open from a listener's SYN (RFC 9293 section 3.10.7.2): answers with a SYN-ACK. */
    void acceptSyn(TcpRepr syn, long now) {
        receiver.synchronize(syn.seq());
        settle(Handshake.negotiate(config, syn), syn, syn.seq(), sender.iss());
        setState(TcpState.SYN_RECEIVED);
        sendSynAck(now);
        sender.synSent();
        synSentAt = now;
        sender.armHandshakeTimer(now);
    }

    /**
     * Opens from the final ACK of a handshake answered with a SYN cookie: established at once, with the MSS the
     * cookie carried and no other option.
     */
    void acceptCookie(TcpRepr ack, int mss, long now) {
        receiver.synchronize(ack.seq().plus(-1));
        options = Handshake.Options.cookie(mss);
        receiver.setShift(0);
        sender.synSent();
        sender.negotiated(mss, 0, false, false, ack.window(), ack.seq(), ack.ack());
        sender.synAcked(ack.ack(), -1, now);
        setState(TcpState.ESTABLISHED);
        engine.established(this, false);
    }

    /** Applies what the handshake settled. */
    private void settle(Handshake.Options settled, TcpRepr peerSyn, SeqNum wl1, SeqNum wl2) {
        options = settled;
        receiver.setShift(settled.receiveShift());
        sender.negotiated(settled.sendMss(), settled.sendShift(), settled.sack(), settled.timestamps(),
                peerSyn.window(), wl1, wl2);
        if (settled.timestamps()) {
            tsRecent = peerSyn.timestamps().value();
            tsRecentAge = lastReceived;
            tsRecentValid = true;
        }
    }

    // =================================================================================================================
    // Segments arriving (RFC 9293 section 3.10.7)

    /**
     * Processes one segment for this connection. {@code payload} is borrowed: its readable bytes are the segment's
     * data, and the caller releases it after the call.
     */
    void input(TcpRepr seg, ByteBuf payload, long now) {
        segmentsReceived++;
        lastReceived = now;
        lastActive = now;
        keepaliveProbes = 0;
        if (state == TcpState.SYN_SENT) {
            synSentInput(seg, payload, now);
        } else if (state != TcpState.CLOSED) {
            synchronizedInput(seg, payload, now);
        }
        engine.afterCall(this);
    }

    /** RFC 9293 section 3.10.7.3: a segment in SYN-SENT. */
    private void synSentInput(TcpRepr seg, ByteBuf payload, long now) {
        boolean ackAcceptable = false;
        if (seg.hasAck()) {
            if (!seg.ack().isAfterAndAtMost(sender.iss(), sender.sndMax())) {
                if (!seg.rst()) sendReset(seg.ack(), now);
                return;
            }
            ackAcceptable = true;
        }
        if (seg.rst()) {
            // RFC 5961 section 3.2: in SYN-SENT a reset counts only if it acknowledges our SYN.
            if (ackAcceptable) {
                engine.count(TcpCounter.RESETS_RECEIVED);
                fail(TcpError.REFUSED);
            }
            return;
        }
        if (!seg.syn()) return;
        receiver.synchronize(seg.seq());
        settle(Handshake.negotiate(config, seg), seg, seg.seq(), ackAcceptable ? seg.ack() : sender.iss());
        if (ackAcceptable) {
            sender.synAcked(seg.ack(), synRtt(seg, now), now);
            establish(now);
            // Data on a SYN-ACK is rare; it is not taken, and the peer sends it again.
            sendAck(now);
            sender.output(now);
        } else {
            // Simultaneous open (RFC 9293 figure 8): our SYN crossed theirs.
            setState(TcpState.SYN_RECEIVED);
            sendSynAck(now);
            sender.armHandshakeTimer(now);
        }
    }

    /** The RTT of the handshake: from the timestamp echoed, or from the SYN's send time if it was not resent. */
    private long synRtt(TcpRepr seg, long now) {
        if (options.timestamps() && seg.timestamps() != null) return timestampRtt(seg.timestamps(), now);
        return synRetransmitted ? -1 : now - synSentAt;
    }

    /** RFC 9293 section 3.10.7.4: a segment in SYN-RECEIVED or a synchronized state. */
    private void synchronizedInput(TcpRepr seg, ByteBuf payload, long now) {
        int dataLength = payload.readableBytes();
        int segLength = dataLength + (seg.syn() ? 1 : 0) + (seg.fin() ? 1 : 0);

        // RFC 7323 section 5.3 R1: PAWS, before the sequence number check.
        if (options.timestamps() && seg.timestamps() != null && !seg.rst() && tsRecentValid
                && seg.timestamps().value() - tsRecent < 0) {
            if (now - tsRecentAge > PAWS_IDLE_NANOS) {
                tsRecentValid = false; // R1: an idle connection's TS.Recent is stale, not a proof of age
            } else {
                engine.count(TcpCounter.PAWS_REJECTED);
                answerUnacceptable(segLength, now);
                return;
            }
        }

        if (state == TcpState.SYN_RECEIVED && seg.syn() && !seg.rst() && seg.seq().equals(receiver.irs())) {
            if (!seg.hasAck()) {
                sendSynAck(now); // the peer resent its SYN: our SYN-ACK was lost
                return;
            }
            if (sender.acksNew(seg.ack())) {
                // Simultaneous open: the peer's SYN-ACK acknowledges our SYN.
                sender.synAcked(seg.ack(), synRtt(seg, now), now);
                establish(now);
                sendAck(now);
                sender.output(now);
                return;
            }
        }

        // First: the sequence number (RFC 9293 section 3.10.7.4, first check).
        if (!receiver.acceptable(seg.seq(), segLength)) {
            if (seg.rst()) return; // RFC 5961 section 3.2: a reset out of the window is dropped silently
            if (state == TcpState.TIME_WAIT && seg.fin()) {
                timeWaitDeadline = now + 2 * config.msl().toNanos(); // the peer resent its FIN: our ACK was lost
            }
            engine.count(TcpCounter.OUT_OF_WINDOW);
            if (receiver.rcvWnd() == 0 && state != TcpState.SYN_RECEIVED) zeroWindowAck(seg, now);
            answerUnacceptable(segLength, now);
            return;
        }

        // Second: the RST bit (RFC 5961 section 3.2): only exactly RCV.NXT resets; the rest of the window challenges.
        if (seg.rst()) {
            if (!seg.seq().equals(receiver.rcvNxt())) {
                challengeAck(now);
                return;
            }
            engine.count(TcpCounter.RESETS_RECEIVED);
            switch (state) {
                case SYN_RECEIVED -> {
                    if (passive) closeQuietly(); // back to LISTEN: the listener forgets it
                    else fail(TcpError.REFUSED);
                }
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> fail(TcpError.RESET);
                default -> closeQuietly(); // CLOSING, LAST-ACK, TIME-WAIT
            }
            return;
        }

        // Fourth: the SYN bit (RFC 5961 section 4.2): in a synchronized state, whatever its sequence number.
        if (seg.syn()) {
            if (state == TcpState.SYN_RECEIVED && passive) {
                closeQuietly(); // RFC 9293: return to LISTEN
                return;
            }
            challengeAck(now);
            return;
        }

        // Fifth: the ACK field.
        if (!seg.hasAck()) return;
        if (state == TcpState.SYN_RECEIVED) {
            if (!sender.acksNew(seg.ack())) {
                sendReset(seg.ack(), now);
                return;
            }
            sender.synAcked(seg.ack(), synRtt(seg, now), now);
            establish(now);
        }
        // RFC 5961 section 5.2: an ACK of something never sent, or older than a window, is challenged.
        if (sender.acksUnsent(seg.ack()) || sender.acksTooOld(seg.ack())) {
            challengeAck(now);
            return;
        }
        // RFC 7323 section 4.3: TS.Recent follows the segment that holds Last.ACK.sent.
        if (options.timestamps() && seg.timestamps() != null && seg.seq().isBeforeOrEqual(receiver.lastAckSent())
                && (!tsRecentValid || seg.timestamps().value() - tsRecent >= 0)) {
            tsRecent = seg.timestamps().value();
            tsRecentAge = now;
            tsRecentValid = true;
        }
        long tsRtt = options.timestamps() && seg.timestamps() != null && sender.acksNew(seg.ack())
                ? timestampRtt(seg.timestamps(), now) : -1;
        boolean pureAck = segLength == 0;
        if (sender.onAck(seg.seq(), seg.ack(), seg.window(), pureAck, seg.sackBlocks(), tsRtt, now)) changed = true;
        switch (state) {
            case FIN_WAIT_1 -> {
                if (sender.finAcked()) {
                    setState(TcpState.FIN_WAIT_2);
                    if (appClosed) finWait2Deadline = now + config.finWait2Timeout().toNanos();
                }
            }
            case CLOSING -> {
                if (sender.finAcked()) {
                    enterTimeWait(now);
                    return;
                }
            }
            case LAST_ACK -> {
                if (sender.finAcked()) {
                    closeQuietly();
                    return;
                }
            }
            case TIME_WAIT -> {
                if (seg.fin()) timeWaitDeadline = now + 2 * config.msl().toNanos();
                sendAck(now);
                return;
            }
            default -> {}
        }

        // Seventh: the segment text; eighth: the FIN.
        if (dataLength > 0 || seg.fin()) {
            if (state.receivesData()) {
                if (appClosed && dataLength > 0) {
                    // Nobody will read it: tell the peer (RFC 9293 section 3.10.4, RFC 2525 section 2.17).
                    abortWithReset(TcpError.ABORTED, now);
                    return;
                }
                long droppedBefore = receiver.outOfOrderDropped();
                if (receiver.accept(seg.seq(), payload, seg.fin(), now)) changed = true;
                if (receiver.outOfOrderDropped() != droppedBefore) engine.count(TcpCounter.OUT_OF_ORDER_DROPPED);
            } else {
                receiver.requestAck(); // the peer's FIN came already; acknowledge what it resent
            }
        }
        if (receiver.finReceived() && !finProcessed) {
            finProcessed = true;
            changed = true;
            switch (state) {
                case ESTABLISHED -> setState(TcpState.CLOSE_WAIT);
                case FIN_WAIT_1 -> {
                    if (sender.finAcked()) enterTimeWait(now);
                    else setState(TcpState.CLOSING);
                }
                case FIN_WAIT_2 -> enterTimeWait(now);
                default -> {}
            }
        }
        if (canSend()) sender.output(now);
        if (receiver.ackNow()) sendAck(now);
    }

    /**
     * RFC 9293 section 3.10.7.4: with our receive window closed no segment is acceptable, "but special allowance
     * should be made to accept valid ACKs". A peer that sends its acknowledgments at its SND.MAX, beyond our
     * RCV.NXT, would otherwise never free our send buffer while our application waits on it, and never open our
     * window. The ACK passes the same RFC 5961 checks as any other; the segment's data and flags are not taken,
     * and state changes wait for the next acceptable segment.
     */
    private void zeroWindowAck(TcpRepr seg, long now) {
        if (!seg.hasAck() || seg.syn() || sender.acksUnsent(seg.ack()) || sender.acksTooOld(seg.ack())) return;
        if (sender.onAck(seg.seq(), seg.ack(), seg.window(), false, seg.sackBlocks(), -1, now)) changed = true;
        if (canSend()) sender.output(now);
    }

    /** The handshake completed: ESTABLISHED, or FIN-WAIT-1 if the application already shut its side down. */
    private void establish(long now) {
        setState(TcpState.ESTABLISHED);
        engine.established(this, passive);
        if (sender.finQueued()) setState(TcpState.FIN_WAIT_1);
    }

    private void enterTimeWait(long now) {
        setState(TcpState.TIME_WAIT);
        timeWaitDeadline = now + 2 * config.msl().toNanos();
        finWait2Deadline = NONE;
        sender.stopTimer();
        sender.release();
        sendAck(now); // acknowledge the peer's FIN before the table may end us (a bound of 0 keeps none)
        engine.enteredTimeWait(this, now);
    }

    // =================================================================================================================
    // Timers

    /** The earliest time this connection needs {@link #onTimer}; {@link #NONE} if never. */
    long nextDeadline() {
        return switch (state) {
            case CLOSED, LISTEN -> NONE;
            case TIME_WAIT -> Math.min(timeWaitDeadline, receiver.ackDeadline());
            default -> Math.min(Math.min(Math.min(sender.deadline(), receiver.ackDeadline()),
                    Math.min(keepaliveDeadline(), finWait2Deadline)), idleBufferDeadline());
        };
    }

    /** When emptied buffers go back to the allocator; {@link #NONE} if none is held. */
    private long idleBufferDeadline() {
        return sender.holdsIdleBuffer() || receiver.holdsIdleBuffer() ? lastActive + IDLE_BUFFER_NANOS : NONE;
    }

    private long keepaliveDeadline() {
        if (!keepalive || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) return NONE;
        if (sender.sndMax().isAfter(sender.sndUna()) || sender.queued() > 0) return NONE;
        TcpConfig.Keepalive k = config.keepalive();
        return lastReceived + k.idle().toNanos() + keepaliveProbes * k.interval().toNanos();
    }

    /** Runs what is due at {@code now}: retransmissions, probes, the delayed ACK, keepalive, TIME-WAIT's end. */
    void onTimer(long now) {
        if (state == TcpState.TIME_WAIT) {
            if (receiver.ackDeadline() <= now) receiver.ackTimerExpired();
            if (receiver.ackNow()) sendAck(now);
            if (timeWaitDeadline <= now) closeQuietly();
            engine.afterCall(this);
            return;
        }
        if (state == TcpState.CLOSED) return;
        if (idleBufferDeadline() <= now) {
            sender.releaseIdleBuffer();
            receiver.releaseIdleBuffer();
        }
        if (receiver.ackDeadline() <= now) receiver.ackTimerExpired();
        if (sender.deadline() <= now) {
            switch (state) {
                case SYN_SENT -> {
                    if (sender.handshakeTimedOut(now) > config.synRetries()) {
                        fail(TcpError.TIMED_OUT);
                    } else {
                        synRetransmitted = true;
                        sendSyn(now);
                    }
                }
                case SYN_RECEIVED -> {
                    if (sender.handshakeTimedOut(now) > config.synAckRetries()) {
                        if (passive) closeQuietly();
                        else fail(TcpError.TIMED_OUT);
                    } else {
                        synRetransmitted = true;
                        sendSynAck(now);
                    }
                }
                default -> {
                    if (sender.sndMax().isAfter(sender.sndUna()) && sender.sndWnd() > 0) engine.count(TcpCounter.TIMEOUTS);
                    if (!sender.onTimer(now)) abortWithReset(TcpError.TIMED_OUT, now);
                }
            }
        }
        if (state == TcpState.CLOSED) {
            engine.afterCall(this);
            return;
        }
        if (keepaliveDeadline() <= now) {
            if (keepaliveProbes >= config.keepalive().probes()) {
                abortWithReset(TcpError.TIMED_OUT, now);
                engine.afterCall(this);
                return;
            }
            keepaliveProbes++;
            // RFC 1122 section 4.2.3.6: a segment at SND.NXT - 1, which the peer must acknowledge.
            sendSegment(sender.sndMax().plus(-1), TcpRepr.ACK, Unpooled.EMPTY_BUFFER, now);
        }
        if (finWait2Deadline <= now && state == TcpState.FIN_WAIT_2) {
            closeQuietly();
            engine.afterCall(this);
            return;
        }
        if (receiver.ackNow()) sendAck(now);
        engine.afterCall(this);
    }

    // =================================================================================================================
    // Ending

    /** Ends with {@code why}: the application learns it; buffers are dropped. */
    private void fail(TcpError why) {
        if (error == null) error = why;
        engine.count(TcpCounter.FAILED);
        releaseBuffers();
        toClosed();
    }

    /** Sends a reset at SND.NXT (RFC 9293 section 3.10.5) if the peer may hold state, then fails with {@code why}. */
    private void abortWithReset(TcpError why, long now) {
        if (state == TcpState.SYN_RECEIVED || (state.isSynchronized() && state != TcpState.TIME_WAIT)) {
            sendSegment(sender.acceptableSeq(), TcpRepr.RST | TcpRepr.ACK, Unpooled.EMPTY_BUFFER, now);
            engine.count(TcpCounter.RESETS_SENT);
        }
        fail(why);
    }

    /** Ends without error (both sides closed, or a passive open the peer gave up): to CLOSED. */
    private void closeQuietly() {
        sender.release();
        if (appClosed || receiver.readable() == 0) receiver.release();
        toClosed();
    }

    private void toClosed() {
        if (state == TcpState.SYN_RECEIVED && passive && !established) listener.abandoned();
        setState(TcpState.CLOSED);
        timeWaitDeadline = NONE;
        finWait2Deadline = NONE;
        engine.closed(this);
    }

    private void releaseBuffers() {
        sender.release();
        receiver.release();
    }

    /**
     * The engine ends this connection: to make room in TIME-WAIT (unread data stays for the application), because
     * its listener closed, or at shutdown (a reset if the peer holds state).
     */
    void evict(long now) {
        if (state == TcpState.TIME_WAIT) {
            closeQuietly();
        } else if (state != TcpState.CLOSED) {
            abortWithReset(TcpError.ABORTED, now);
        }
        if (appClosed) releaseBuffers();
    }

    /**
     * Whether {@code seg} is an ACK that this half-open connection does not recognise: it acknowledges some other
     * SYN-ACK than ours. When that is a SYN cookie the listener sent while it was full, the peer resent its SYN
     * meanwhile, and this connection is what the resent SYN opened; the engine then opens the cookie's connection
     * instead ({@link #forgetHalfOpen()}), rather than resetting a peer that believes it is established.
     */
    boolean halfOpenAndAckedElsewhere(TcpRepr seg) {
        return state == TcpState.SYN_RECEIVED && passive && seg.hasAck() && !seg.syn() && !seg.rst()
                && !sender.acksNew(seg.ack());
    }

    /** Drops this half-open connection without a word to the peer; its listener forgets it. */
    void forgetHalfOpen() {
        closeQuietly();
    }

    /**
     * Whether a SYN may end this connection in TIME-WAIT and open a new one (RFC 6191 section 2; RFC 1122 section
     * 4.2.2.13): its timestamp is newer, or, without timestamps, its sequence number is beyond RCV.NXT.
     */
    boolean reusableBy(TcpRepr syn) {
        if (state != TcpState.TIME_WAIT) return false;
        if (options.timestamps() && syn.timestamps() != null) return syn.timestamps().value() - tsRecent > 0;
        return syn.seq().isAfter(receiver.rcvNxt());
    }

    // =================================================================================================================
    // Segments leaving

    private boolean canSend() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    private void sendSyn(long now) {
        TcpRepr syn = Handshake.syn(config, tuple, sender.iss(), receiver.synWindowField(), tsVal(now));
        transmit(syn, Unpooled.EMPTY_BUFFER);
    }

    private void sendSynAck(long now) {
        int tsEcr = tsRecentValid ? tsRecent : 0;
        TcpRepr synAck = Handshake.synAck(config, tuple, sender.iss(), receiver.rcvNxt(), receiver.windowField(true),
                options, tsVal(now), tsEcr);
        transmit(synAck, Unpooled.EMPTY_BUFFER);
        receiver.ackSent();
    }

    /**
     * An acknowledgment: <SEQ=SND.MAX><ACK=RCV.NXT><CTL=ACK>. SND.MAX rather than RFC 9293's SND.NXT, as BSD does:
     * after a retransmission timeout SND.NXT falls back, and an empty segment that far back would be out of the
     * peer's window, its acknowledgment lost with it. Never past the peer's window, though
     * ({@link Sender#acceptableSeq()}).
     */
    void sendAck(long now) {
        if (state == TcpState.SYN_SENT || state == TcpState.CLOSED) return;
        if (state == TcpState.SYN_RECEIVED) {
            sendSynAck(now);
            return;
        }
        sendSegment(sender.acceptableSeq(), TcpRepr.ACK, Unpooled.EMPTY_BUFFER, now);
    }

    /**
     * Acknowledges a segment dropped as out of the window or too old, telling the peer where we are. An empty one
     * (a pure ACK, a probe) is answered at most every {@link #UNACCEPTABLE_ACK_INTERVAL}: two sides that each
     * find the other's acknowledgments out of the window would otherwise answer each other for ever (Linux's
     * {@code tcp_invalid_ratelimit}).
     */
    private void answerUnacceptable(int segLength, long now) {
        if (segLength == 0) {
            if (lastUnacceptableAck != NONE && now - lastUnacceptableAck < UNACCEPTABLE_ACK_INTERVAL) return;
            lastUnacceptableAck = now;
        }
        sendAck(now);
    }

    /** RFC 5961 section 7: an ACK in answer to a suspicious segment, within the engine's rate limit. */
    private void challengeAck(long now) {
        if (engine.allowChallengeAck(now)) {
            engine.count(TcpCounter.CHALLENGE_ACKS);
            sendAck(now);
        } else {
            engine.count(TcpCounter.CHALLENGE_ACKS_SUPPRESSED);
        }
    }

    /** A reset for an unacceptable ACK: <SEQ=SEG.ACK><CTL=RST>. */
    private void sendReset(SeqNum seq, long now) {
        TcpRepr rst = TcpRepr.of(tuple.localPort(), tuple.remotePort(), seq, SeqNum.ZERO, TcpRepr.RST, 0);
        transmit(rst, Unpooled.EMPTY_BUFFER);
        engine.count(TcpCounter.RESETS_SENT);
    }

    /** A segment with the connection's acknowledgment, window and options. {@code payload} is borrowed. */
    private void sendSegment(SeqNum seq, int flags, ByteBuf payload, long now) {
        sendSegment(seq, flags, payload, 0, now);
    }

    /** {@link #sendSegment(SeqNum, int, ByteBuf, long)}, for the device to cut into {@code segmentSize} octets if not 0. */
    private void sendSegment(SeqNum seq, int flags, ByteBuf payload, int segmentSize, long now) {
        TcpRepr header = TcpRepr.of(tuple.localPort(), tuple.remotePort(), seq, receiver.rcvNxt(), flags,
                (flags & TcpRepr.RST) != 0 ? 0 : receiver.windowField(false));
        if (options.timestamps() && (flags & TcpRepr.RST) == 0) {
            header = header.withTimestamps(new TcpOption.Timestamps(tsVal(now), tsRecent));
        }
        if ((flags & TcpRepr.RST) == 0) {
            List<SackBlock> blocks = receiver.sackBlocks(sackBlockCount());
            if (!blocks.isEmpty()) header = header.withSackBlocks(blocks);
        }
        transmit(header, payload, segmentSize);
        if ((flags & TcpRepr.ACK) != 0) receiver.ackSent();
    }

    private int sackBlockCount() {
        if (!options.sack() || !receiver.hasOutOfOrder()) return 0;
        return TcpRepr.maxSackBlocks(options.timestamps());
    }

    private void transmit(TcpRepr header, ByteBuf payload) {
        transmit(header, payload, 0);
    }

    private void transmit(TcpRepr header, ByteBuf payload, int segmentSize) {
        segmentsSent++;
        engine.transmit(tuple, header, payload, segmentSize);
    }

    private int tsVal(long now) {
        return (int) (now / TS_TICK_NANOS) + tsOffset;
    }

    /** The RTT a timestamp echo measures, or -1 if it cannot be believed (RFC 7323 section 4). */
    private long timestampRtt(TcpOption.Timestamps ts, long now) {
        long ticks = (long) (tsVal(now) - ts.echoReply());
        if (ticks < 0 || ticks > 3_600_000L) return -1;
        return ticks * TS_TICK_NANOS;
    }

    /** The {@link SegmentOutput} the sender uses. */
    private final class Output implements SegmentOutput {
        @Override
        public int payloadRoom() {
            int room = options == null ? Handshake.DEFAULT_MSS : options.sendMss();
            if (options != null && options.timestamps()) room -= 12;
            int blocks = Math.min(sackBlockCount(), receiver.outOfOrderRuns());
            if (blocks > 0) room -= 4 + blocks * SackBlock.LENGTH;
            return Math.max(room, 1);
        }

        @Override
        public int offloadRoom() {
            int room = payloadRoom();
            int limit = config.offloadSegmentLimit();
            if (limit == 0 || options == null) return room;
            int most = limit - TcpPacket.HEADER_LENGTH - (options.sendMss() - room); // the header with its options
            return Math.max(room, most - most % room);
        }

        @Override
        public void sendData(SeqNum seq, ByteBuf payload, boolean fin, long now) {
            int flags = TcpRepr.ACK | (fin ? TcpRepr.FIN : 0);
            // PSH on the segment that empties what the application queued, as BSD and Linux do. On a segment the
            // device cuts, FIN and PSH go on the last piece only (Linux's tcp_gso_segment).
            if (payload.isReadable() && seq.plus(payload.readableBytes()).equals(sender.bufferEnd())) flags |= TcpRepr.PSH;
            int room = payloadRoom();
            sendSegment(seq, flags, payload, payload.readableBytes() > room ? room : 0, now);
        }
    }

    // =================================================================================================================
    // For the engine

    private void setState(TcpState next) {
        if (next != state) {
            if (next == TcpState.ESTABLISHED) established = true;
            state = next;
            changed = true;
        }
    }

    /** Whether something the application may wait for changed since the last call; clears the flag. */
    boolean takeChanged() {
        boolean was = changed;
        changed = false;
        return was;
    }

    Listener listener() {
        return listener;
    }
}
