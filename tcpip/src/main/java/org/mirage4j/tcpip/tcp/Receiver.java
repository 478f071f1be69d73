package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;

/**
 * The receiving half of a connection: {@code RCV.NXT} and the receive window (RFC 9293 section 3.3.1), the receive
 * buffer with its out-of-order runs, the SACK blocks that describe them (RFC 2018), and when to acknowledge
 * (delayed ACKs, RFC 1122 section 4.2.3.2 and RFC 5681 section 4.2).
 *
 * <p>Data in order and out of order share one bounded {@link RingBuffer}: in-order data is readable, out-of-order
 * data waits at its offset beyond {@code RCV.NXT}, and the {@link Assembler} says where. The window offered is the
 * ring's free space, so memory is bounded by the buffer size whatever the peer sends; the right edge of the window
 * never moves left (RFC 9293 section 3.8.6.2.2), and it moves right only by a useful amount (receiver-side silly
 * window avoidance, RFC 1122 section 4.2.3.3).
 *
 * <p>Not thread-safe: it belongs to its {@link Connection}.
 */
final class Receiver {

    /** No deadline. */
    static final long NONE = Long.MAX_VALUE;
    /** How many recently received out-of-order segments are remembered to order the SACK blocks (RFC 2018 section 4). */
    private static final int RECENT = 4;

    private final RingBuffer ring;
    private final Assembler assembler;
    private final long delayedAckNanos;
    private final int maxSegmentSize;
    private SeqNum irs;
    private SeqNum rcvNxt;
    private SeqNum rcvAdv; // the right edge of the window last offered
    private int rcvShift;
    private int rcvMss; // the largest segment seen, to judge "full-sized" (RFC 1122 section 4.2.3.2)
    private SeqNum finSeq; // where the peer's FIN is, once a FIN arrived; null before
    private boolean finReceived; // RCV.NXT is past the FIN
    private final Deque<SeqNum> recentOutOfOrder = new ArrayDeque<>(RECENT);
    // Acknowledgment scheduling
    private int unackedBytes;
    private boolean ackNow;
    private long ackDeadline = NONE;
    private SeqNum lastAckSent;
    private long bytesReceived;
    private long outOfOrderDropped;

    Receiver(ByteBufAllocator allocator, int bufferSize, int outOfOrderLimit, long delayedAckNanos, int maxSegmentSize) {
        this.ring = new RingBuffer(allocator, bufferSize);
        this.assembler = new Assembler(outOfOrderLimit);
        this.delayedAckNanos = delayedAckNanos;
        this.maxSegmentSize = maxSegmentSize;
        this.rcvMss = Math.min(536, maxSegmentSize);
    }

    /** The peer's SYN arrived with sequence number {@code irs}: the first data octet is {@code irs + 1}. */
    void synchronize(SeqNum irs) {
        this.irs = irs;
        this.rcvNxt = irs.plus(1);
        this.rcvAdv = rcvNxt.plus(synWindowField()); // what our SYN offered, or our SYN-ACK will
        this.lastAckSent = rcvNxt;
    }

    /** The window scale the peer applies to our window field (0 without window scaling). */
    void setShift(int shift) {
        this.rcvShift = shift;
    }

    SeqNum irs() {
        return irs;
    }

    /** RCV.NXT: the next sequence number expected. */
    SeqNum rcvNxt() {
        return rcvNxt;
    }

    /** RCV.WND as the peer knows it: from RCV.NXT to the right edge last offered. */
    int rcvWnd() {
        int window = rcvAdv.minus(rcvNxt);
        return Math.max(window, 0);
    }

    /** Last.ACK.sent of RFC 7323 section 4.3: the acknowledgment number of the last segment we sent. */
    SeqNum lastAckSent() {
        return lastAckSent;
    }

    /** Octets the application can read now. */
    int readable() {
        return ring.size();
    }

    /** Whether the peer's FIN arrived and was passed in order: after the readable octets, the stream ends. */
    boolean finReceived() {
        return finReceived;
    }

    /** Whether out-of-order data is held. */
    boolean hasOutOfOrder() {
        return !assembler.isEmpty();
    }

    /** How many separate runs of out-of-order data are held. */
    int outOfOrderRuns() {
        return assembler.runs();
    }

    long bytesReceived() {
        return bytesReceived;
    }

    long outOfOrderDropped() {
        return outOfOrderDropped;
    }

    /**
     * The window field to send now, scaled, and records the right edge it offers. The window grows only by at least
     * min(half the buffer, one segment) at a time, and its right edge never moves left.
     *
     * @param syn whether the field goes on a SYN, where it is never scaled (RFC 7323 section 2.2)
     */
    int windowField(boolean syn) {
        int offered = rcvWnd();
        int free = ring.free();
        int window = offered;
        if (free - offered >= Math.min(ring.limit() / 2, maxSegmentSize)) window = free;
        int shift = syn ? 0 : rcvShift;
        int field = Math.min(window >>> shift, 0xFFFF);
        SeqNum edge = rcvNxt.plus(field << shift);
        if (edge.isAfter(rcvAdv)) rcvAdv = edge;
        return field;
    }

    /** The window field of a SYN we send before knowing the peer's ISN: the free buffer, unscaled. */
    int synWindowField() {
        return Math.min(ring.free(), 0xFFFF);
    }

    /**
     * Whether a segment of {@code length} octets at {@code seq} (SYN and FIN counted) is acceptable. This is RFC 9293
     * section 3.10.7.4's test made as lenient as Linux's ({@code tcp_sequence}), so that acknowledgments are not
     * thrown away with segments that carry nothing new: the segment may start at the right edge of the window, and
     * may end anywhere from the acknowledgment we last sent on (a retransmission of data we have but whose
     * acknowledgment may have been lost). What lies outside the window is trimmed by {@link #accept}.
     */
    boolean acceptable(SeqNum seq, int length) {
        if (seq.isAfter(rcvNxt.plus(rcvWnd()))) return false;
        return !seq.plus(length).isBefore(lastAckSent.min(rcvNxt));
    }

    /**
     * Takes the data and FIN of an acceptable segment: what lies in the window is stored (in order, or held out of
     * order), the rest is trimmed. Schedules the acknowledgment. The caller keeps ownership of {@code payload}, whose
     * readable bytes are the segment's data; its indexes do not move.
     *
     * @return whether the readable data or the end of the stream changed (the application may be waiting)
     */
    boolean accept(SeqNum seq, ByteBuf payload, boolean fin, long now) {
        int length = payload.readableBytes();
        boolean wasOutOfOrder = !assembler.isEmpty();
        boolean delivered = false;
        if (length > 0) {
            rcvMss = Math.max(rcvMss, Math.min(length, maxSegmentSize));
            int offset = seq.minus(rcvNxt);
            int skip = Math.max(0, -offset); // octets before RCV.NXT: a retransmission of what we have
            int at = Math.max(offset, 0);
            int window = rcvWnd();
            int take = Math.min(length - skip, window - at); // trim what lies beyond the window
            if (take > 0) {
                if (at == 0) {
                    ring.writeAt(0, payload, payload.readerIndex() + skip, take);
                    int advanced = assembler.advance(take);
                    ring.commit(advanced);
                    rcvNxt = rcvNxt.plus(advanced);
                    bytesReceived += advanced;
                    delivered = true;
                    if (wasOutOfOrder) ackNow = true; // RFC 5681 section 4.2: a segment that fills a hole
                    else scheduleAck(take, now);
                } else {
                    if (assembler.add(at, at + take)) {
                        ring.writeAt(at, payload, payload.readerIndex() + skip, take);
                        rememberOutOfOrder(rcvNxt.plus(at));
                    } else {
                        outOfOrderDropped++;
                    }
                    ackNow = true; // RFC 5681 section 4.2: out-of-order data is acknowledged at once
                }
            } else {
                ackNow = true; // nothing new (a duplicate, or beyond the window): tell the peer where we are
            }
        }
        if (fin) {
            SeqNum at = seq.plus(length);
            // A FIN beyond the window would need data we could not take; wait for its retransmission.
            if (at.isBefore(rcvNxt.plus(rcvWnd()).plus(1)) && finSeq == null) finSeq = at;
            ackNow = true;
        }
        if (finSeq != null && !finReceived && rcvNxt.equals(finSeq)) {
            rcvNxt = rcvNxt.plus(1);
            finReceived = true;
            delivered = true;
        }
        return delivered;
    }

    private void scheduleAck(int length, long now) {
        unackedBytes += length;
        // RFC 1122 section 4.2.3.2: at least every second full-sized segment; RFC 9293 3.8.6.3: at most 500 ms late.
        if (delayedAckNanos == 0 || unackedBytes >= 2 * rcvMss) {
            ackNow = true;
        } else if (ackDeadline == NONE) {
            ackDeadline = now + delayedAckNanos;
        }
    }

    private void rememberOutOfOrder(SeqNum seq) {
        recentOutOfOrder.remove(seq);
        if (recentOutOfOrder.size() == RECENT) recentOutOfOrder.removeLast();
        recentOutOfOrder.addFirst(seq);
    }

    /**
     * The SACK blocks to send (RFC 2018 section 4): the run holding the most recently received segment first, then
     * the runs of the segments received before it, then the others, highest first; at most {@code max}.
     */
    List<SackBlock> sackBlocks(int max) {
        if (assembler.isEmpty() || max == 0) return List.of();
        List<SackBlock> blocks = new ArrayList<>(Math.min(max, assembler.runs()));
        boolean[] used = new boolean[assembler.runs()];
        for (SeqNum seq : recentOutOfOrder) {
            if (blocks.size() == max) break;
            int run = runHolding(seq);
            if (run >= 0 && !used[run]) {
                used[run] = true;
                blocks.add(block(run));
            }
        }
        for (int run = assembler.runs() - 1; run >= 0 && blocks.size() < max; run--) {
            if (!used[run]) blocks.add(block(run));
        }
        return blocks;
    }

    private int runHolding(SeqNum seq) {
        int offset = seq.minus(rcvNxt);
        for (int i = 0; i < assembler.runs(); i++) {
            if (offset >= assembler.start(i) && offset < assembler.end(i)) return i;
        }
        return -1;
    }

    private SackBlock block(int run) {
        return new SackBlock(rcvNxt.plus(assembler.start(run)), rcvNxt.plus(assembler.end(run)));
    }

    /**
     * Moves up to {@code dst.writableBytes()} readable octets into {@code dst}. The caller keeps ownership of
     * {@code dst}.
     *
     * @return how many octets moved
     */
    int read(ByteBuf dst) {
        return ring.read(dst, Integer.MAX_VALUE);
    }

    /**
     * Whether the application's reading opened the window enough to tell the peer at once, rather than with the
     * next acknowledgment: the window offered is at most half the buffer and could at least double (as Linux
     * decides), by at least one segment.
     */
    boolean windowUpdateDue() {
        int offered = rcvWnd();
        int free = (int) Math.min(ring.free(), (long) 0xFFFF << rcvShift); // no more than the field can say
        return 2L * offered <= ring.limit() && free >= 2L * offered && free - offered >= maxSegmentSize;
    }

    /** Whether an acknowledgment must go out now. */
    boolean ackNow() {
        return ackNow;
    }

    /** Asks for an acknowledgment now, whatever the delayed-ACK state. */
    void requestAck() {
        ackNow = true;
    }

    /** When the delayed acknowledgment is due; {@link #NONE} if none waits. */
    long ackDeadline() {
        return ackDeadline;
    }

    /** The delayed acknowledgment's time came. */
    void ackTimerExpired() {
        ackDeadline = NONE;
        ackNow = true;
    }

    /** A segment acknowledging RCV.NXT went out: nothing waits to be acknowledged. */
    void ackSent() {
        unackedBytes = 0;
        ackNow = false;
        ackDeadline = NONE;
        lastAckSent = rcvNxt;
    }

    /** Whether the receive buffer holds an emptied backing buffer (kept for the next segment; see {@link RingBuffer}). */
    boolean holdsIdleBuffer() {
        return ring.holdsIdleBuffer();
    }

    /** Gives an emptied backing buffer back, for a connection gone idle; nothing held is lost. */
    void releaseIdleBuffer() {
        ring.releaseIfIdle();
    }

    /** Drops what is held and gives the buffer back. */
    void release() {
        ring.release();
        assembler.clear();
        recentOutOfOrder.clear();
        ackDeadline = NONE;
    }
}
