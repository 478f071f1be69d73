package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.mirage4j.tcpip.wire.BufferCopy;

/**
 * A bounded byte queue over one pooled buffer used as a ring: a connection's send or receive buffer.
 *
 * <pre>
 *            head                    head + size         head + extent
 *   ---------|=======================|~~~~~~~~|    |~~~~|---------   (positions modulo capacity)
 *            readable (size)          written out of order, not yet committed
 * </pre>
 *
 * <p>Bytes enter at the end ({@link #write}) or at an offset beyond it ({@link #writeAt}, for out-of-order data
 * that {@link #commit} later makes readable), and leave from the front ({@link #read}, {@link #discard}). The ring
 * never holds more than {@link #limit()} octets. Its backing buffer is taken from the allocator when bytes first
 * arrive and grows by doubling up to the limit. When the ring empties, a grown buffer goes back to the allocator
 * but one of the smallest size ({@value #MIN_CAPACITY} octets, or the limit if that is less) stays: a connection
 * whose reader keeps up empties its ring after every segment, and would otherwise take, fill and give back a
 * buffer per segment. {@link #releaseIfIdle()} gives that one back too, for connections gone idle, so that an idle
 * connection holds no buffer.
 *
 * <p>Ownership: the ring owns its backing buffer; {@link #release()} gives it back. Buffers passed in are copied
 * and stay the caller's. {@link #slice} returns a borrowed view that is valid until the ring is next changed.
 * Not thread-safe.
 */
final class RingBuffer {

    static final int MIN_CAPACITY = 16 * 1024;

    private final ByteBufAllocator allocator;
    private final int limit;
    private ByteBuf buf; // null while empty
    private int head;
    private int size;
    private int extent; // size plus the octets beyond it written by writeAt, at most limit

    RingBuffer(ByteBufAllocator allocator, int limit) {
        this.allocator = allocator;
        this.limit = limit;
    }

    /** The most octets the ring holds. */
    int limit() {
        return limit;
    }

    /** The readable octets. */
    int size() {
        return size;
    }

    /** How many more octets {@link #write} would take. */
    int free() {
        return limit - size;
    }

    /** Whether nothing is readable. */
    boolean isEmpty() {
        return size == 0;
    }

    /** The capacity of the backing buffer now, 0 when none is held (for tests). */
    int capacity() {
        return buf == null ? 0 : buf.capacity();
    }

    /**
     * Appends up to {@code max} readable bytes of {@code src}, as many as fit, moving {@code src}'s reader index
     * past them. The caller keeps ownership of {@code src}. Must not be used while out-of-order bytes are held.
     *
     * @return how many octets were taken
     */
    int write(ByteBuf src, int max) {
        int n = Math.min(Math.min(max, src.readableBytes()), free());
        if (n == 0) return 0;
        copyIn(size, src, src.readerIndex(), n);
        src.skipBytes(n);
        size += n;
        extent = Math.max(extent, size);
        return n;
    }

    /**
     * Copies {@code length} octets at {@code srcIndex} of {@code src} to {@code offset} octets past the readable end,
     * without making them readable; {@code offset + length} must fit below the limit. The caller keeps ownership
     * of {@code src}, whose indexes do not move.
     */
    void writeAt(int offset, ByteBuf src, int srcIndex, int length) {
        if (length == 0) return;
        if (offset < 0 || (long) size + offset + length > limit) {
            throw new IndexOutOfBoundsException("offset " + offset + " + " + length + " past the ring's limit");
        }
        copyIn(size + offset, src, srcIndex, length);
        extent = Math.max(extent, size + offset + length);
    }

    /** Makes {@code n} octets already written past the readable end (by {@link #writeAt}) readable. */
    void commit(int n) {
        if (n < 0 || size + n > extent) throw new IllegalArgumentException("cannot commit " + n + " octets");
        size += n;
    }

    /**
     * Moves up to {@code max} readable octets into {@code dst} at its writer index, as many as it has room for.
     * The caller keeps ownership of {@code dst}.
     *
     * @return how many octets were moved
     */
    int read(ByteBuf dst, int max) {
        int n = Math.min(Math.min(max, size), dst.writableBytes());
        int done = 0;
        while (done < n) {
            int chunk = Math.min(n - done, contiguous(done));
            // Netty's own copy, not BufferCopy: dst is a fresh buffer (a flow's read), which has no NIO view cached
            // yet, while between two buffers of netty's default (adaptive) allocator netty copies with none.
            dst.writeBytes(buf, position(done), chunk);
            done += chunk;
        }
        discard(n);
        return n;
    }

    /** Drops the first {@code n} readable octets. */
    void discard(int n) {
        if (n < 0 || n > size) throw new IllegalArgumentException("cannot discard " + n + " of " + size + " octets");
        if (n == 0) return;
        head = position(n);
        size -= n;
        extent -= n;
        if (extent == 0) {
            if (buf.capacity() > MIN_CAPACITY) releaseBuffer();
            else head = 0; // kept for the next bytes (see the class comment); from the start, so they need no wrap
        }
    }

    /** Whether a backing buffer is held with nothing in it: {@link #releaseIfIdle()} would give it back. */
    boolean holdsIdleBuffer() {
        return buf != null && extent == 0;
    }

    /**
     * Gives the backing buffer back if nothing is held (readable or out of order); for the timer, on connections
     * that went idle. Does nothing otherwise.
     *
     * @return whether the ring now holds no buffer
     */
    boolean releaseIfIdle() {
        if (extent == 0) releaseBuffer();
        return buf == null;
    }

    /**
     * How many octets from {@code offset} (from the front) up to the readable end or the end of the backing buffer,
     * whichever comes first: the longest {@link #slice} at that offset.
     */
    int contiguous(int offset) {
        if (offset >= size) return 0;
        return Math.min(size - offset, buf.capacity() - position(offset));
    }

    /**
     * A borrowed view of {@code length} readable octets at {@code offset}, at most {@link #contiguous}{@code (offset)}:
     * the ring's backing buffer itself, its reader and writer indexes set around those octets (the ring reads and
     * writes it by absolute index only, so they are free to carry the view). Not a {@code slice()}: a derived buffer
     * would be an allocation per segment sent, and copying out of it another (see {@link BufferCopy}). The caller
     * must not release it nor write to it, and it is valid only until the ring is next changed or sliced again.
     */
    ByteBuf slice(int offset, int length) {
        if (length > contiguous(offset)) throw new IndexOutOfBoundsException("slice crosses the ring's end");
        int at = position(offset);
        return buf.setIndex(at, at + length);
    }

    /** Drops everything and gives the backing buffer back. The ring stays usable. */
    void release() {
        head = 0;
        size = 0;
        extent = 0;
        releaseBuffer();
    }

    private void releaseBuffer() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        head = 0;
    }

    private int position(int offset) {
        int p = head + offset;
        int capacity = buf.capacity();
        return p >= capacity ? p - capacity : p;
    }

    /** Copies into the ring at {@code offset} from the front, growing the backing buffer to hold it. */
    private void copyIn(int offset, ByteBuf src, int srcIndex, int length) {
        ensureCapacity(offset + length);
        int done = 0;
        while (done < length) {
            int at = position(offset + done);
            int chunk = Math.min(length - done, buf.capacity() - at);
            BufferCopy.copy(src, srcIndex + done, buf, at, chunk);
            done += chunk;
        }
    }

    private void ensureCapacity(int needed) {
        int capacity = buf == null ? 0 : buf.capacity();
        if (needed <= capacity) return;
        int grown = Math.min(Math.max(MIN_CAPACITY, capacity), limit);
        while (grown < needed) grown = (int) Math.min(2L * grown, limit);
        ByteBuf bigger = allocator.buffer(grown, grown);
        // Unwrap what is held (readable and out-of-order octets) to the start of the new buffer.
        int done = 0;
        while (done < extent) {
            int at = position(done);
            int chunk = Math.min(extent - done, capacity - at);
            BufferCopy.copy(buf, at, bigger, done, chunk);
            done += chunk;
        }
        if (buf != null) buf.release();
        buf = bigger;
        head = 0;
    }
}
