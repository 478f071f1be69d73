package org.mirage4j.tcpip.wire;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;

/**
 * Copies octets between two buffers without allocating on the way, where netty's own {@code setBytes(int, ByteBuf,
 * int, int)} would: between direct buffers of different kinds it makes a {@code ByteBuffer} slice (and often an
 * array of them) per call, once per segment on the stack's hot path.
 *
 * <p>The copy reads the source through its internal NIO view ({@link ByteBuf#internalNioBuffer}) and the
 * destination writes through its own; netty makes each once per buffer object and caches it. So a copy between two
 * buffers that live long (a connection's ring, a device's reused frame buffer) allocates nothing, and one with a
 * fresh buffer on one side allocates that buffer's view once. A derived buffer (a slice or a duplicate) has no
 * cached view and makes one per call, so callers pass the buffer itself with an index, not a slice of it.
 *
 * <p>Between two buffers of netty's default (adaptive) allocator, netty's own {@code setBytes} copies through the
 * views of the memory they share, cached once for all: no allocation even for a fresh buffer (a device's frame, an
 * application's response). That pair takes netty's path.
 *
 * <p>The internal view is shared state of the source buffer: the thread copying must be the only one using the
 * source meanwhile, which holds for buffers whose ownership was handed over (a received frame, data written to a
 * flow) and for the stack's own buffers (used under the TCP lock).
 */
public final class BufferCopy {

    private BufferCopy() {}

    /**
     * Copies {@code length} octets at {@code srcIndex} of {@code src} to {@code dstIndex} of {@code dst}. No index
     * of either buffer moves; the caller keeps ownership of both; the regions must not overlap.
     *
     * @throws IndexOutOfBoundsException if a region is outside its buffer's capacity
     */
    public static void copy(ByteBuf src, int srcIndex, ByteBuf dst, int dstIndex, int length) {
        if (length == 0) return;
        if (bothAdaptive(src, dst)) {
            dst.setBytes(dstIndex, src, srcIndex, length);
        } else if (src.nioBufferCount() == 1) {
            // setBytes(int, ByteBuffer) reads the view from its position to its limit, the region asked for.
            dst.setBytes(dstIndex, src.internalNioBuffer(srcIndex, length));
        } else {
            dst.setBytes(dstIndex, src, srcIndex, length); // several components: netty's general path
        }
    }

    /** Whether both are plain buffers (not derived, not wrapped) of an adaptive allocator. */
    private static boolean bothAdaptive(ByteBuf src, ByteBuf dst) {
        return src.unwrap() == null && dst.unwrap() == null && src.alloc() instanceof AdaptiveByteBufAllocator
                && dst.alloc() instanceof AdaptiveByteBufAllocator;
    }
}
