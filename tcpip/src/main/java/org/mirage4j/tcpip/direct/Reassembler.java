package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirage4j.tcpip.wire.Ipv4Repr;

/**
 * IPv4 reassembly (RFC 791 section 3.2, RFC 815) as a state machine: fragments and the time go in, whole
 * datagrams come out. It does no I/O, reads no clock and is not thread-safe: its owner serialises the calls.
 *
 * <p>Fragments belong together when source, destination, protocol and identification agree. Their payloads are
 * copied (so the frames they came in are released at once) and kept sorted by offset; a datagram is complete when
 * its first and last fragments are in and the pieces between leave no hole. Rules, each counted when it drops:
 * <ul>
 *   <li>a fragment that repeats one held (same offset and length) is dropped alone ({@link DropReason#FRAGMENT_DUPLICATE});</li>
 *   <li>a fragment that overlaps another in any other way drops the whole datagram, as RFC 5722 requires for IPv6
 *       (overlaps are how attacks slip past filters; no honest sender makes them) ({@link DropReason#FRAGMENT_OVERLAP});</li>
 *   <li>a fragment with more to follow must carry a non-zero multiple of 8 octets, and all fragments must end within
 *       the length the last one fixes ({@link DropReason#BAD_FRAGMENT}).</li>
 * </ul>
 * Bounds, so that no input grows it without limit ({@link Limits}): datagrams in progress (a new one evicts the
 * oldest), payload bytes held by all of them (the oldest are evicted to make room), fragments per datagram, and
 * time: a datagram not complete {@link Limits#timeoutNanos} after its first fragment arrived is dropped
 * ({@link DropReason#REASSEMBLY_TIMEOUT}). Each dropped datagram counts once.
 */
final class Reassembler {

    /**
     * Reassembly's bounds.
     *
     * @param datagrams datagrams in progress at once
     * @param bytes payload bytes held by all datagrams in progress
     * @param fragmentsPerDatagram fragments one datagram may have
     * @param timeoutNanos how long a datagram may take to arrive, from its first fragment
     */
    record Limits(int datagrams, int bytes, int fragmentsPerDatagram, long timeoutNanos) {
        /**
         * 64 datagrams, 1 MiB, 128 fragments each (a 65 535-octet datagram in 576-octet packets has 119), and 30 s:
         * RFC 791 suggests an initial timer of 15 s, RFC 1122 section 3.3.2 recommends 60 to 120 s; 30 s is Linux's
         * ipfrag_time, between the two, and bounds how long memory stays held.
         */
        static final Limits DEFAULT = new Limits(64, 1 << 20, 128, 30_000_000_000L);
    }

    /** A reassembled datagram: its header, and its payload, which the receiver owns and must release. */
    record Complete(Ipv4Repr header, ByteBuf payload) {}

    private record Key(int source, int destination, int protocol, int identification) {}

    private record Piece(int offset, int length, ByteBuf data) {
        int end() {
            return offset + length;
        }
    }

    private static final class Datagram {
        final long deadline;
        final List<Piece> pieces = new ArrayList<>(); // sorted by offset, never overlapping
        Ipv4Repr first; // the header of the fragment at offset 0, once it arrived
        int total = -1; // the payload length, once the last fragment arrived
        int bytes;

        Datagram(long deadline) {
            this.deadline = deadline;
        }
    }

    private final Limits limits;
    private final ByteBufAllocator allocator;
    private final LayerCounters counters;
    private final Map<Key, Datagram> inProgress = new LinkedHashMap<>(); // oldest first, so also by deadline
    private int heldBytes;
    private boolean closed;

    Reassembler(Limits limits, ByteBufAllocator allocator, LayerCounters counters) {
        this.limits = limits;
        this.allocator = allocator;
        this.counters = counters;
    }

    /**
     * Adds the fragment whose header is {@code header} and whose payload is {@code header.payloadLength()} bytes
     * at {@code payloadIndex} of {@code buf}. The caller keeps ownership of {@code buf}: the payload is copied.
     *
     * @return the whole datagram if this fragment completed it (the caller then owns its payload), else {@code null}
     */
    Complete add(Ipv4Repr header, ByteBuf buf, int payloadIndex, long now) {
        if (closed) return null;
        int offset = header.fragmentOffset();
        int length = header.payloadLength();
        int end = offset + length;
        if (header.moreFragments() && (length == 0 || length % 8 != 0)) { // RFC 791: fragments but the last hold 8-octet blocks
            counters.drop(DropReason.BAD_FRAGMENT);
            return null;
        }
        Key key = new Key(header.source().bits(), header.destination().bits(), header.protocol().value(), header.identification());
        Datagram datagram = inProgress.get(key);
        if (datagram == null) {
            while (inProgress.size() >= limits.datagrams()) dropOldest();
            datagram = new Datagram(now + limits.timeoutNanos());
            inProgress.put(key, datagram);
        }
        int highest = datagram.pieces.isEmpty() ? 0 : datagram.pieces.getLast().end();
        boolean inconsistent = header.moreFragments()
                ? datagram.total >= 0 && end > datagram.total
                : (datagram.total >= 0 && datagram.total != end) || highest > end;
        if (inconsistent) {
            drop(key, datagram, DropReason.BAD_FRAGMENT);
            return null;
        }
        int insertAt = datagram.pieces.size();
        for (int i = 0; i < datagram.pieces.size(); i++) {
            Piece piece = datagram.pieces.get(i);
            if (piece.offset() == offset && piece.length() == length) {
                counters.drop(DropReason.FRAGMENT_DUPLICATE);
                return null;
            }
            if (offset < piece.end() && piece.offset() < end || offset == piece.offset()) {
                drop(key, datagram, DropReason.FRAGMENT_OVERLAP);
                return null;
            }
            if (piece.offset() > offset && insertAt == datagram.pieces.size()) insertAt = i;
        }
        if (datagram.pieces.size() >= limits.fragmentsPerDatagram()) {
            drop(key, datagram, DropReason.REASSEMBLY_LIMIT);
            return null;
        }
        while (heldBytes + length > limits.bytes()) {
            Map.Entry<Key, Datagram> oldest = inProgress.entrySet().iterator().next();
            drop(oldest.getKey(), oldest.getValue(), DropReason.REASSEMBLY_LIMIT);
            if (oldest.getValue() == datagram) return null; // this one was the oldest: nothing left to add to
        }
        ByteBuf data = allocator.buffer(length, length).writeBytes(buf, payloadIndex, length);
        datagram.pieces.add(insertAt, new Piece(offset, length, data));
        datagram.bytes += length;
        heldBytes += length;
        if (offset == 0) datagram.first = header;
        if (!header.moreFragments()) datagram.total = end;
        return complete(datagram) ? assemble(key, datagram) : null;
    }

    /**
     * Advances time to {@code now}: drops the datagrams whose time is up.
     *
     * @return the next deadline, or {@link Long#MAX_VALUE} if nothing is in progress
     */
    long expire(long now) {
        for (Iterator<Datagram> it = inProgress.values().iterator(); it.hasNext(); ) {
            Datagram datagram = it.next();
            if (datagram.deadline > now) return datagram.deadline; // the others are younger
            it.remove();
            release(datagram);
            counters.drop(DropReason.REASSEMBLY_TIMEOUT);
        }
        return Long.MAX_VALUE;
    }

    /** Releases everything held, and drops every later fragment. */
    void close() {
        closed = true;
        for (Datagram datagram : inProgress.values()) release(datagram);
        inProgress.clear();
    }

    /** Datagrams in progress. */
    int inProgress() {
        return inProgress.size();
    }

    /** Payload bytes held. */
    int heldBytes() {
        return heldBytes;
    }

    private static boolean complete(Datagram datagram) {
        if (datagram.total < 0 || datagram.first == null) return false;
        int next = 0;
        for (Piece piece : datagram.pieces) {
            if (piece.offset() != next) return false;
            next = piece.end();
        }
        return next == datagram.total;
    }

    private Complete assemble(Key key, Datagram datagram) {
        inProgress.remove(key);
        heldBytes -= datagram.bytes;
        ByteBuf payload = allocator.buffer(datagram.total, datagram.total);
        for (Piece piece : datagram.pieces) {
            payload.writeBytes(piece.data());
            piece.data().release();
        }
        Ipv4Repr first = datagram.first;
        Ipv4Repr whole = new Ipv4Repr(first.source(), first.destination(), first.protocol(), datagram.total, first.ttl(),
                first.dscp(), first.ecn(), first.identification(), first.dontFragment(), false, 0);
        return new Complete(whole, payload);
    }

    private void dropOldest() {
        Map.Entry<Key, Datagram> oldest = inProgress.entrySet().iterator().next();
        drop(oldest.getKey(), oldest.getValue(), DropReason.REASSEMBLY_LIMIT);
    }

    private void drop(Key key, Datagram datagram, DropReason reason) {
        inProgress.remove(key);
        release(datagram);
        counters.drop(reason);
    }

    private void release(Datagram datagram) {
        for (Piece piece : datagram.pieces) piece.data().release();
        heldBytes -= datagram.bytes;
        datagram.pieces.clear();
        datagram.bytes = 0;
    }
}
