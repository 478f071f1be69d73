package org.mirage4j.net.virtio;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import org.mirage4j.virtio.DmaSlots;

/**
 * A received frame: a direct {@code ByteBuf} over the receive buffer the device wrote it into, so
 * the stack reads it where the device put it, without a copy. Releasing it (its reference count
 * reaching 0) gives the buffer back to the receive pool, from which the receive loop refills the
 * ring. Its capacity is the frame's length; a handler that grows it gets ordinary memory, and the
 * buffer still goes back to the pool on release.
 */
final class RxFrame extends UnpooledDirectByteBuf {

    private final DmaSlots pool;
    private final DmaSlots.Slot slot;

    private RxFrame(DmaSlots pool, DmaSlots.Slot slot, int offset, int length) {
        super(ByteBufAllocator.DEFAULT, slot.segment().asSlice(offset, length).asByteBuffer(), length);
        this.pool = pool;
        this.slot = slot;
    }

    /**
     * The frame of {@code length} bytes after the {@code header} bytes of virtio_net_hdr at the start of
     * {@code slot}, with the header in the buffer in front of its reader index (where
     * {@link org.mirage4j.api.net.VirtioNetHeader} reads it); otherwise as {@link #of}.
     *
     * @return a buffer the caller owns and must release
     */
    static ByteBuf withHeader(DmaSlots pool, DmaSlots.Slot slot, int header, int length) {
        RxFrame frame = new RxFrame(pool, slot, 0, header + length);
        frame.setIndex(header, header + length);
        return LeakTracking.track(frame);
    }

    /**
     * The frame of {@code length} bytes at {@code offset} of {@code slot}, which it owns from now
     * on. Netty's leak detector watches it as it watches the buffers of netty's own allocators: a
     * frame garbage-collected without a release is reported (and its slot is lost to the pool).
     *
     * @return a buffer the caller owns and must release
     */
    static ByteBuf of(DmaSlots pool, DmaSlots.Slot slot, int offset, int length) {
        return LeakTracking.track(new RxFrame(pool, slot, offset, length));
    }

    @Override
    protected void deallocate() {
        super.deallocate(); // does not free the memory, which belongs to the pool
        pool.give(slot);
    }

    /**
     * Reaches netty's leak detector for buffers, which netty opens only to allocators
     * ({@code toLeakAwareBuffer} is protected); it allocates nothing itself.
     */
    private static final class LeakTracking extends AbstractByteBufAllocator {

        static ByteBuf track(ByteBuf buf) {
            return toLeakAwareBuffer(buf);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            throw new UnsupportedOperationException("only tracks received frames");
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            throw new UnsupportedOperationException("only tracks received frames");
        }

        @Override
        public boolean isDirectBufferPooled() {
            return true;
        }
    }
}
