package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.mirage4j.tcpip.tcp.cc.CongestionControl;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;

/**
 * The sending half of a connection: the send sequence variables of RFC 9293 section 3.3.1, the send buffer, what to
 * send when (Nagle's algorithm, RFC 896; sender-side silly window avoidance, RFC 1122 section 4.2.3.4; the
 * congestion window), and how to recover from loss: retransmission timeout (RFC 6298), fast retransmit and NewReno
 * recovery (RFC 6582) or, when the peer sends SACK blocks, SACK-based recovery (RFC 6675), and zero-window probes
 * (RFC 9293 section 3.8.6.1).
 *
 * <pre>
 *        SND.UNA              SND.NXT             SND.MAX          buffer end
 *   -------|=====================|===================|~~~~~~~~~~~~~~~~~|------
 *          sent, unacknowledged   resent after a      queued, not yet
 *          (retransmission queue) timeout (go-back-N)  sent
 * </pre>
 *
 * <p>{@code SND.MAX} is the highest sequence number sent so far; {@code SND.NXT} falls back to {@code SND.UNA} when
 * the retransmission timer expires and then walks forward again. The send buffer holds the octets from
 * {@code SND.UNA} on (after the SYN) until they are acknowledged; the FIN follows its last octet.
 *
 * <p>One timer serves retransmission and, while nothing is in flight but data waits (a closed window, or a held
 * small segment), persistence. Not thread-safe: it belongs to its {@link Connection}.
 */
final class Sender {

    static final long NONE = Long.MAX_VALUE;
    /** Zero-window probes back off at most to this (RFC 9293 section 3.8.6.1 leaves it to us; Linux uses 120 s). */
    private static final long MAX_PERSIST_NANOS = 60_000_000_000L;

    private final RingBuffer ring;
    private final SegmentOutput out;
    private final TcpConfig config;
    private CongestionControl cc;
    final RttEstimator rtt;
    final SackScoreboard scoreboard = new SackScoreboard();

    // RFC 9293 section 3.3.1
    private SeqNum iss;
    private SeqNum sndUna;
    private SeqNum sndNxt;
    private SeqNum sndMax;
    private int sndWnd;
    private SeqNum sndWl1;
    private SeqNum sndWl2;
    private int maxSndWnd;
    private int sndShift;
    private int smss = 536; // effective send MSS without SACK blocks: the peer's MSS minus timestamps
    private boolean sackOk;
    private boolean timestampsOk;

    private SeqNum bufferStart; // the sequence number of the send buffer's first octet
    private boolean finQueued;
    private SeqNum finSeq;
    private boolean noDelay;

    // RTT timing without timestamps: one segment at a time, never a retransmitted one (Karn's rule).
    private SeqNum timedEnd;
    private long timedAt;

    // Loss recovery
    private int dupAcks;
    private boolean inRecovery;
    private SeqNum recover; // RFC 6582 "recover", RFC 6675 "RecoveryPoint"
    private SeqNum highRxt; // RFC 6675 "HighRxt"
    private int inflation; // NewReno's window inflation during recovery, in octets (may go negative)
    private boolean partialAckSeen;

    // The retransmission / persist timer
    private long rtxDeadline = NONE;
    private int timeouts; // consecutive retransmission timeouts
    private long lastSendTime = Long.MIN_VALUE;

    // Statistics
    private long retransmits;
    private long bytesAcked;
    private long fastRetransmits;
    private long timeoutCount;

    Sender(ByteBufAllocator allocator, TcpConfig config, SegmentOutput out) {
        this.ring = new RingBuffer(allocator, config.sendBufferSize());
        this.out = out;
        this.config = config;
        this.noDelay = config.noDelay();
        this.rtt = new RttEstimator(config.initialRto().toNanos(), config.minRto().toNanos(), config.maxRto().toNanos());
        this.cc = config.congestionControl().create(smss);
    }

    /** Our ISN is {@code iss}: the SYN takes it, data starts after it. */
    void start(SeqNum iss) {
        this.iss = iss;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.bufferStart = iss.plus(1);
        this.recover = iss;
        this.highRxt = iss;
    }

    /** The SYN went out (the first time): it occupies {@code ISS}. */
    void synSent() {
        sndNxt = iss.plus(1);
        sndMax = sndNxt;
    }

    /**
     * The handshake settled the options.
     *
     * @param peerMss the peer's MSS (or 536 without the option), already limited to what we can send
     * @param shift the window scale to apply to the peer's window fields
     * @param window the peer's window from its SYN (unscaled by definition)
     */
    void negotiated(int peerMss, int shift, boolean sack, boolean timestamps, int window, SeqNum wl1, SeqNum wl2) {
        this.smss = Math.max(peerMss - (timestamps ? 12 : 0), 64);
        this.sndShift = shift;
        this.sackOk = sack;
        this.timestampsOk = timestamps;
        this.sndWnd = window;
        this.maxSndWnd = window;
        this.sndWl1 = wl1;
        this.sndWl2 = wl2;
        this.cc = config.congestionControl().create(smss);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The application's side

    /**
     * Queues up to {@code max} readable bytes of {@code src}, as many as the send buffer has room for, moving
     * {@code src}'s reader index past them. The caller keeps ownership of {@code src}.
     *
     * @return how many octets were taken
     */
    int write(ByteBuf src, int max) {
        if (finQueued) throw new IllegalStateException("The sending side was shut down; nothing more can be sent.");
        return ring.write(src, max);
    }

    /** Free space in the send buffer. */
    int sendSpace() {
        return finQueued ? 0 : ring.free();
    }

    /** Octets queued and not yet acknowledged. */
    int queued() {
        return ring.size();
    }

    /** The sequence number after the last octet queued. */
    SeqNum bufferEnd() {
        return bufferStart.plus(ring.size());
    }

    /** The application has no more to send: a FIN follows the queued data. */
    void queueFin() {
        if (finQueued) return;
        finQueued = true;
        finSeq = bufferStart.plus(ring.size());
    }

    boolean finQueued() {
        return finQueued;
    }

    /** Whether our FIN was acknowledged. */
    boolean finAcked() {
        return finQueued && sndUna.isAfter(finSeq);
    }

    void setNoDelay(boolean noDelay) {
        this.noDelay = noDelay;
    }

    boolean noDelay() {
        return noDelay;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Acknowledgments

    /**
     * The peer acknowledged our SYN with {@code ack} (the handshake's ACK, or the SYN-ACK's).
     *
     * @param rttSample the handshake's round-trip time, or -1 if it cannot be measured (the SYN was resent)
     */
    void synAcked(SeqNum ack, long rttSample, long now) {
        sndUna = ack;
        if (sndNxt.isBefore(ack)) sndNxt = ack;
        if (sndMax.isBefore(ack)) sndMax = ack;
        if (highRxt.isBefore(ack)) highRxt = ack;
        rtxDeadline = NONE;
        timeouts = 0;
        if (rttSample >= 0) rtt.sample(rttSample);
        lastSendTime = now;
    }

    /** Whether {@code ack} acknowledges something sent and not yet acknowledged: SND.UNA < ack =< SND.MAX. */
    boolean acksNew(SeqNum ack) {
        return ack.isAfterAndAtMost(sndUna, sndMax);
    }

    /** Whether {@code ack} acknowledges something never sent: ack > SND.MAX. */
    boolean acksUnsent(SeqNum ack) {
        return ack.isAfter(sndMax);
    }

    /**
     * Whether {@code ack} is too old to be believed (RFC 5961 section 5.2): before SND.UNA - MAX.SND.WND.
     */
    boolean acksTooOld(SeqNum ack) {
        return ack.isBefore(sndUna.plus(-Math.max(maxSndWnd, 1)));
    }

    /**
     * Processes the acknowledgment part of an acceptable segment whose ACK is neither unsent nor too old: moves
     * SND.UNA, updates the window (RFC 9293 section 3.10.7.4), the RTT estimate, the congestion window, the SACK
     * scoreboard, and the loss recovery state, and restarts the timer (RFC 6298 section 5.3).
     *
     * @param pureAck whether the segment carries no data, SYN or FIN (so that it may count as a duplicate ACK)
     * @param tsRtt the RTT measured by the timestamps option, or -1
     * @return whether new data was acknowledged (send buffer space may have freed up)
     */
    boolean onAck(SeqNum seq, SeqNum ack, int windowField, boolean pureAck, List<SackBlock> sack, long tsRtt, long now) {
        int window = windowField << sndShift;
        boolean windowChanged = window != sndWnd;
        int flightBefore = sndMax.minus(sndUna);
        boolean sackGrew = sackOk && !sack.isEmpty() && scoreboard.add(sack, ack.max(sndUna), sndMax);
        boolean newData = ack.isAfter(sndUna);

        // Window update (RFC 9293 section 3.10.7.4): only from a segment not older than the last update.
        if (sndWl1 == null || sndWl1.isBefore(seq) || (sndWl1.equals(seq) && sndWl2.isBeforeOrEqual(ack))) {
            sndWnd = window;
            sndWl1 = seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, window);
        }

        if (newData) {
            int acked = ack.minus(sndUna);
            if (timestampsOk && tsRtt >= 0) {
                rtt.sample(tsRtt); // RFC 7323 section 4.1
            } else if (timedEnd != null && ack.isAfterOrEqual(timedEnd)) {
                rtt.sample(now - timedAt);
                timedEnd = null;
            }
            int dataAcked = Math.min(Math.max(ack.minus(bufferStart), 0), ring.size());
            ring.discard(dataAcked);
            bufferStart = bufferStart.plus(dataAcked);
            bytesAcked += dataAcked;
            sndUna = ack;
            if (sndNxt.isBefore(sndUna)) sndNxt = sndUna;
            scoreboard.ackedTo(sndUna);
            if (highRxt.isBefore(sndUna)) highRxt = sndUna;
            timeouts = 0;
            if (inRecovery) {
                if (ack.isAfterOrEqual(recover)) {
                    // RFC 6582 section 3.2 step 3 / RFC 6675 section 5: a full acknowledgment ends recovery.
                    inRecovery = false;
                    inflation = 0;
                    dupAcks = 0;
                    cc.onRecoveryEnd(sndMax.minus(sndUna), now);
                } else if (!sackOk) {
                    // RFC 6582 section 3.2 step 4: a partial acknowledgment; the next hole is lost too.
                    retransmitFirst(now);
                    inflation = inflation - acked + (acked >= smss ? smss : 0);
                    if (!partialAckSeen) {
                        partialAckSeen = true;
                        rtxDeadline = now + rtt.rto();
                    }
                }
            } else {
                dupAcks = 0;
                if (cwndLimited(flightBefore)) cc.onAck(acked, now, rtt.srtt());
            }
            if (sndUna.equals(sndMax)) {
                rtxDeadline = NONE;
            } else if (!(inRecovery && !sackOk && partialAckSeen)) {
                // RFC 6298 section 5.3; during NewReno recovery only the first partial ACK restarts the timer
                // (RFC 6582 section 4.1's "Impatient" variant), which was done above.
                rtxDeadline = now + rtt.rto();
            }
            return true;
        }

        // RFC 5681 section 2's duplicate ACK (with RFC 6675's: one that SACKs new data counts too).
        boolean duplicate = ack.equals(sndUna) && sndMax.isAfter(sndUna) && sndWnd > 0
                && ((pureAck && !windowChanged) || sackGrew);
        if (!duplicate) return false;
        dupAcks++;
        if (inRecovery) {
            if (!sackOk) inflation += smss; // RFC 6582 section 3.2 step 3: each further duplicate inflates
            return false;
        }
        boolean lossDetected = sackOk
                ? dupAcks >= SackScoreboard.DUP_THRESH || (!scoreboard.isEmpty() && scoreboard.isLost(sndUna, smss))
                : dupAcks == SackScoreboard.DUP_THRESH;
        // RFC 6582 section 3.2 step 2: not for losses of data sent before the last recovery or timeout.
        if (lossDetected && sndUna.isAfter(recover)) enterRecovery(now);
        return false;
    }

    private boolean cwndLimited(int flightBefore) {
        // RFC 7661's spirit: grow the window only while it is used; in slow start, while half of it is.
        int cwnd = cc.cwnd();
        return flightBefore + smss >= cwnd || (cc.inSlowStart() && 2 * flightBefore >= cwnd);
    }

    private void enterRecovery(long now) {
        int flight = sndMax.minus(sndUna);
        inRecovery = true;
        partialAckSeen = false;
        recover = sndMax;
        highRxt = sndUna;
        cc.onLoss(flight, now);
        inflation = sackOk ? 0 : 3 * smss; // RFC 6582 step 2: cwnd = ssthresh + 3 SMSS
        fastRetransmits++;
        timedEnd = null;
        retransmitFirst(now); // RFC 6675 section 5 step (4.3) and RFC 6582 step 2
    }

    /** Retransmits the segment at SND.UNA (up to the first SACKed octet), whatever the windows say. */
    private void retransmitFirst(long now) {
        int length = Math.min(out.payloadRoom(), availableFrom(sndUna));
        if (!scoreboard.isEmpty()) length = Math.min(length, scoreboard.runs().getFirst().left().minus(sndUna));
        sendAt(sndUna, Math.max(length, 0), now, true);
        if (sndUna.plus(Math.max(length, 1)).isAfter(highRxt)) highRxt = sndUna.plus(Math.max(length, 1));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sending

    /** Octets of data (FIN not counted) queued at or after {@code seq}. */
    private int availableFrom(SeqNum seq) {
        int offset = seq.minus(bufferStart);
        return Math.max(ring.size() - Math.max(offset, 0), 0);
    }

    private boolean finPending(SeqNum seq, int length) {
        return finQueued && seq.plus(length).equals(finSeq);
    }

    /**
     * Sends what the windows, Nagle's algorithm and loss recovery allow now. Called after every event that may
     * open a window or queue data.
     */
    void output(long now) {
        if (sndUna.equals(sndMax) && lastSendTime != Long.MIN_VALUE && now - lastSendTime > rtt.rto()) {
            cc.onIdleRestart(now); // RFC 5681 section 4.1: restart the window after an idle period
            lastSendTime = now;
        }
        if (inRecovery && sackOk) {
            sackRecoveryOutput(now);
        } else {
            int cwnd = Math.max(cc.cwnd() + inflation, smss);
            sendNew(cwnd, now);
        }
        armTimer(now);
    }

    /** The normal sending loop: from SND.NXT, within min(cwnd, SND.WND) of SND.UNA. */
    private void sendNew(int cwnd, long now) {
        while (true) {
            SeqNum seq = sndNxt;
            long windowEnd = Math.min((long) sndWnd, cwnd);
            int usable = (int) Math.max(0, windowEnd - seq.minus(sndUna));
            int room = out.payloadRoom();
            int available = availableFrom(seq);
            boolean resend = seq.isBefore(sndMax);
            // Retransmissions stay one MSS each; new data may go in a segment the device cuts (TSO).
            int length = segmentLength(room, resend ? room : offloadLimit(room, cwnd), usable, available);
            boolean fin = finPending(seq, length);
            if (length == 0 && !fin) return;
            if (length < room && !fin && !resend && !worthSending(length, available)) return;
            sendAt(seq, length, now, resend);
        }
    }

    /**
     * The most new data one segment for the device to cut may carry: what the device takes, but at most a quarter of
     * the congestion window (and two MSS at least), so that a window goes out as several segments, in the spirit of
     * Linux's {@code tcp_tso_autosize} (which sizes them by the pacing rate, about 1 ms of data). The peer
     * acknowledges each segment it receives, coalesced or not, so a window sent as one segment would get one ACK,
     * and the loss of that one would stall the window until the retransmission timeout.
     */
    private int offloadLimit(int room, int cwnd) {
        return Math.min(out.offloadRoom(), Math.max(2 * room, cwnd / 4));
    }

    /**
     * The data the next segment carries: as much as the windows ({@code usable}) and the queue ({@code available})
     * allow, at most {@code largest}. A segment of more than one MSS ({@code room}) is one the device cuts into
     * MSS-sized segments: it carries whole ones only, as if they were sent one by one; a short rest is left for the
     * next round, where Nagle's algorithm and silly window avoidance decide about it as about any short segment.
     */
    static int segmentLength(int room, int largest, int usable, int available) {
        int length = Math.min(Math.min(largest, usable), available);
        if (length <= room) return length;
        int tail = length % room;
        return tail == 0 ? length : length - tail;
    }

    /**
     * Whether a segment shorter than a full one should go now (RFC 1122 section 4.2.3.4): it carries all that is
     * queued and Nagle allows it (nothing unacknowledged, or no-delay), or it fills half the largest window the peer
     * ever offered.
     */
    private boolean worthSending(int length, int available) {
        if (length == 0) return false;
        boolean all = length == available;
        if (all && (noDelay || sndUna.equals(sndMax))) return true;
        return all && length >= maxSndWnd / 2 && maxSndWnd > 0;
    }

    /** Sends {@code length} octets at {@code seq} (with the FIN if it follows them) and accounts for it. */
    private void sendAt(SeqNum seq, int length, long now, boolean resend) {
        boolean fin = finQueued && seq.plus(length).equals(finSeq);
        ByteBuf payload = length == 0 ? Unpooled.EMPTY_BUFFER : payloadAt(seq, length);
        length = payload.readableBytes();
        fin &= seq.plus(length).equals(finSeq);
        out.sendData(seq, payload, fin, now);
        SeqNum end = seq.plus(length + (fin ? 1 : 0));
        if (resend) {
            retransmits++;
            if (timedEnd != null && seq.isBefore(timedEnd)) timedEnd = null; // Karn's rule
        } else if (!timestampsOk && timedEnd == null && length > 0) {
            timedEnd = end;
            timedAt = now;
        }
        if (seq.equals(sndNxt) || (end.isAfter(sndNxt) && !seq.isAfter(sndNxt))) sndNxt = end.max(sndNxt);
        if (end.isAfter(sndMax)) sndMax = end;
        lastSendTime = now;
        if (rtxDeadline == NONE && length + (fin ? 1 : 0) > 0) rtxDeadline = now + rtt.rto();
    }

    /** The data at {@code seq}, at most {@code length} octets, cut at the end of the ring's backing buffer. */
    private ByteBuf payloadAt(SeqNum seq, int length) {
        int offset = seq.minus(bufferStart);
        return ring.slice(offset, Math.min(length, ring.contiguous(offset)));
    }

    /** RFC 6675 section 5 step (C): while the pipe leaves room for a segment, send what NextSeg() picks. */
    private void sackRecoveryOutput(long now) {
        int cwnd = cc.cwnd();
        for (int guard = 0; guard < 1024; guard++) {
            if (cwnd - pipe() < smss) return;
            if (!nextSegment(now)) return;
        }
    }

    /**
     * RFC 6675 section 4, SetPipe: octets thought in flight. Unsacked octets not deemed lost count once, and
     * retransmitted octets (below HighRxt) once more.
     */
    int pipe() {
        long pipe = 0;
        SeqNum holeStart = sndUna;
        List<SackBlock> runs = scoreboard.runs();
        for (int i = 0; i <= runs.size(); i++) {
            SeqNum holeEnd = i < runs.size() ? runs.get(i).left() : sndMax;
            if (holeStart.isBefore(holeEnd)) {
                int length = holeEnd.minus(holeStart);
                boolean lost = i < runs.size() && scoreboard.isLost(holeStart, smss);
                if (!lost) pipe += length;
                if (holeStart.isBefore(highRxt)) pipe += Math.min(length, highRxt.minus(holeStart));
            }
            if (i < runs.size()) holeStart = runs.get(i).right();
        }
        return (int) Math.min(pipe, Integer.MAX_VALUE);
    }

    /** RFC 6675 section 4, NextSeg(), and sends the segment it picks; false if there is none. */
    private boolean nextSegment(long now) {
        int room = out.payloadRoom();
        SeqNum highestSacked = scoreboard.highestSacked(sndUna);
        // Rule 1: the first unsacked octet above HighRxt, below the highest SACKed, that is lost.
        // Rule 3 (remembered on the way): the first such octet even if not yet lost.
        SeqNum rule3 = null;
        int rule3Length = 0;
        SeqNum holeStart = sndUna;
        List<SackBlock> runs = scoreboard.runs();
        for (int i = 0; i < runs.size(); i++) {
            SeqNum holeEnd = runs.get(i).left();
            SeqNum from = holeStart.max(highRxt);
            if (from.isBefore(holeEnd)) {
                int length = Math.min(room, holeEnd.minus(from));
                if (scoreboard.isLost(from, smss)) {
                    retransmitAt(from, length, now);
                    return true;
                }
                if (rule3 == null) {
                    rule3 = from;
                    rule3Length = length;
                }
            }
            holeStart = runs.get(i).right();
        }
        // Rule 2: new data, if the receiver's window allows.
        if (sndNxt.equals(sndMax)) {
            int usable = Math.max(0, sndWnd - sndNxt.minus(sndUna));
            int length = Math.min(Math.min(room, usable), availableFrom(sndNxt));
            if (length > 0 || finPending(sndNxt, length)) {
                sendAt(sndNxt, length, now, false);
                return true;
            }
        }
        if (rule3 != null && rule3.isBefore(highestSacked)) {
            retransmitAt(rule3, rule3Length, now);
            return true;
        }
        return false;
    }

    private void retransmitAt(SeqNum seq, int length, long now) {
        length = Math.min(length, availableFrom(seq));
        sendAt(seq, length, now, true);
        SeqNum end = seq.plus(Math.max(length, 1));
        if (end.isAfter(highRxt)) highRxt = end;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The timer

    /** When the retransmission or persist timer expires; {@link #NONE} if it is not running. */
    long deadline() {
        return rtxDeadline;
    }

    /** Arms the timer if something is in flight, or data waits with nothing in flight; disarms it otherwise. */
    private void armTimer(long now) {
        boolean inFlight = sndMax.isAfter(sndUna);
        boolean waiting = availableFrom(sndNxt) > 0 || (finQueued && !sndMax.isAfter(finSeq));
        if (!inFlight && !waiting) {
            rtxDeadline = NONE;
        } else if (rtxDeadline == NONE) {
            rtxDeadline = now + (inFlight ? rtt.rto() : persistTimeout());
        }
    }

    private long persistTimeout() {
        return Math.min(rtt.rto(), MAX_PERSIST_NANOS);
    }

    /** Arms the timer for a handshake segment just sent. */
    void armHandshakeTimer(long now) {
        rtxDeadline = now + rtt.rto();
    }

    /** Stops the timer (the connection is closing down). */
    void stopTimer() {
        rtxDeadline = NONE;
    }

    /**
     * The handshake's timer expired: back off; the caller resends its SYN or SYN-ACK.
     *
     * @return how many times the handshake segment timed out in a row
     */
    int handshakeTimedOut(long now) {
        timeouts++;
        timeoutCount++;
        retransmits++;
        rtt.backOff();
        rtxDeadline = now + rtt.rto();
        return timeouts;
    }

    /**
     * The timer expired. While the peer's window is closed it is the persist timer: a zero-window probe goes out,
     * again and again with backoff, never giving up while the peer answers (RFC 1122 section 4.2.2.17). With the
     * window open and nothing in flight, data held back for a small window goes out (RFC 1122 section 4.2.3.4's
     * override). Otherwise it is a retransmission timeout: retransmit from SND.UNA (go-back-N) with the loss window
     * and a doubled timeout (RFC 6298 section 5.4 to 5.6).
     *
     * @return false if retransmissions ran out and the connection must end ({@link TcpError#TIMED_OUT})
     */
    boolean onTimer(long now) {
        rtxDeadline = NONE;
        boolean inFlight = sndMax.isAfter(sndUna);
        if (sndWnd == 0 || !inFlight) {
            if (sndWnd == 0) {
                // As Linux does: an empty segment just below SND.UNA, which the peer must answer with its window.
                out.sendData(sndUna.plus(-1), Unpooled.EMPTY_BUFFER, false, now);
            } else {
                int length = Math.min(Math.min(out.payloadRoom(), sndWnd), availableFrom(sndNxt));
                if (length > 0) sendAt(sndNxt, length, now, false);
            }
            rtt.backOff();
            if (sndMax.isAfter(sndUna) && sndWnd > 0) {
                rtxDeadline = now + rtt.rto();
            } else if (sndWnd == 0 || availableFrom(sndNxt) > 0) {
                rtxDeadline = now + persistTimeout();
            }
            return true;
        }
        timeouts++;
        timeoutCount++;
        if (timeouts > config.dataRetries()) return false;
        cc.onRetransmitTimeout(sndMax.minus(sndUna), now);
        rtt.backOff();
        inRecovery = false;
        inflation = 0;
        dupAcks = 0;
        recover = sndMax; // RFC 6582 section 4: no fast retransmit for the duplicates the resent data causes
        scoreboard.clear();
        highRxt = sndUna;
        timedEnd = null;
        sndNxt = sndUna;
        rtxDeadline = now + rtt.rto();
        sendNew(Math.max(cc.cwnd(), smss), now);
        return true;
    }

    /** Whether the send buffer holds an emptied backing buffer (kept for the next write; see {@link RingBuffer}). */
    boolean holdsIdleBuffer() {
        return ring.holdsIdleBuffer();
    }

    /** Gives an emptied backing buffer back, for a connection gone idle; nothing queued is lost. */
    void releaseIdleBuffer() {
        ring.releaseIfIdle();
    }

    /** Gives the send buffer back; nothing more can be sent. */
    void release() {
        ring.release();
        rtxDeadline = NONE;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State, for the connection and the statistics

    /** The sequence variables and timer, for diagnostics. */
    String describe() {
        return "iss=" + iss + " sndUna=" + sndUna + " sndNxt=" + sndNxt + " sndMax=" + sndMax + " sndWnd=" + sndWnd
                + " sndWl1=" + sndWl1 + " sndWl2=" + sndWl2 + " maxSndWnd=" + maxSndWnd
                + " bufferStart=" + bufferStart + " queued=" + ring.size() + " fin=" + (finQueued ? finSeq : "-")
                + " recovery=" + inRecovery + " recover=" + recover + " highRxt=" + highRxt + " dupAcks=" + dupAcks
                + " sack=" + scoreboard + " rtx=" + rtxDeadline + " timeouts=" + timeouts + " cc=" + cc;
    }

    SeqNum iss() {
        return iss;
    }

    SeqNum sndUna() {
        return sndUna;
    }

    SeqNum sndNxt() {
        return sndNxt;
    }

    /**
     * The sequence number of an empty segment (an ACK, a reset): SND.MAX, unless the peer's window has shrunk below
     * it (RFC 9293 section 3.8.6.2.1), then the window's right edge, as Linux's {@code tcp_acceptable_seq} does. A
     * peer whose receive window is closed accepts an empty segment only at exactly RCV.NXT (RFC 9293 section
     * 3.10.7.4), and would otherwise drop the acknowledgment it carries: with both sides waiting for the other,
     * the connection stalls for good.
     */
    SeqNum acceptableSeq() {
        SeqNum rightEdge = sndUna.plus(sndWnd);
        return sndMax.isAfter(rightEdge) ? rightEdge : sndMax;
    }

    SeqNum sndMax() {
        return sndMax;
    }

    int sndWnd() {
        return sndWnd;
    }

    int smss() {
        return smss;
    }

    CongestionControl congestionControl() {
        return cc;
    }

    long retransmits() {
        return retransmits;
    }

    long fastRetransmits() {
        return fastRetransmits;
    }

    long timeoutCount() {
        return timeoutCount;
    }

    long bytesAcked() {
        return bytesAcked;
    }
}
