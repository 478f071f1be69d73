package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

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
 * arrive, grows by doubling up to the limit, and goes back to the allocator when the ring empties, so an idle
 * connection holds no buffer.
 *
 * <p>Ownership: the ring owns its backing buffer; {@link #release()} gives it back. Buffers passed in are copied
 * and stay the caller's. {@link #slice} returns a borrowed view that is valid until the ring is next changed.
 * Not thread-safe.
 */
final class RingBuffer {

    private static final int MIN_CAPACITY = 16 * 1024;

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
        if (extent == 0) releaseBuffer();
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
     * A borrowed view of {@code length} readable octets at {@code offset}, at most {@link #contiguous}{@code (offset)}.
     * It shares the ring's buffer without being retained: the caller must not release it, and it is valid only until
     * the ring is next changed.
     */
    ByteBuf slice(int offset, int length) {
        if (length > contiguous(offset)) throw new IndexOutOfBoundsException("slice crosses the ring's end");
        return buf.slice(position(offset), length);
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
            buf.setBytes(at, src, srcIndex + done, chunk);
            done += chunk;
        }
    }

    private void ensureCapacity(int needed) {
        int capacity = buf == null ? 0 : buf.capacity();
        if (needed <= capacity) return;
        int grown = Math.min(Math.max(MIN_CAPACITY, capacity), limit);
        while (grown < needed) grown = (int) Math.min(2L * grown, limit);
        ByteBuf bigger = allocator.buffer(grown, grown);
        bigger.writerIndex(grown);
        // Unwrap what is held (readable and out-of-order octets) to the start of the new buffer.
        int done = 0;
        while (done < extent) {
            int at = position(done);
            int chunk = Math.min(extent - done, capacity - at);
            bigger.setBytes(done, buf, at, chunk);
            done += chunk;
        }
        if (buf != null) buf.release();
        buf = bigger;
        head = 0;
    }
}
