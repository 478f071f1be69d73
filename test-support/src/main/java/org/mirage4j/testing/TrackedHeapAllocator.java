package org.mirage4j.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * An allocator of unpooled heap buffers that netty's leak detector tracks.
 *
 * <p>Netty leaves unpooled heap buffers ({@code Unpooled.buffer()}, {@code UnpooledByteBufAllocator}) out of
 * leak detection, since the garbage collector frees them anyway; a test that forgets to release such a buffer
 * passes silently. Buffers from this allocator are the same unpooled heap buffers, wrapped as netty wraps pooled
 * ones, so forgetting to release one fails the test (see {@link LeakCheck}). Use it in tests whenever releasing
 * is part of what is tested. Every buffer it returns is owned by the caller, who must release it.
 */
public final class TrackedHeapAllocator extends AbstractByteBufAllocator {

    /** The shared instance. */
    public static final TrackedHeapAllocator INSTANCE = new TrackedHeapAllocator();

    private TrackedHeapAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    /** Direct buffers come from netty's unpooled allocator, which tracks those already. */
    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
