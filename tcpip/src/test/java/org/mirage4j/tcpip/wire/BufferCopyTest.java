package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * {@link BufferCopy#copy} moves exactly the octets asked for, between every kind of buffer the stack meets (heap,
 * unpooled and pooled direct, adaptive, slices, composites), and moves no index of either buffer.
 */
class BufferCopyTest {

    private static final AdaptiveByteBufAllocator ADAPTIVE = new AdaptiveByteBufAllocator();

    @Property(tries = 500)
    void copiesTheRegionAndOnlyIt(Gen gen) {
        byte[] data = gen.bytes(1, 3000);
        ByteBuf src = source(gen, data);
        int capacity = gen.intBetween(1, 3000);
        ByteBuf dst = destination(gen, capacity);
        try {
            int length = gen.intBetween(0, Math.min(data.length, capacity));
            int srcIndex = gen.intBetween(0, data.length - length);
            int dstIndex = gen.intBetween(0, capacity - length);
            byte[] before = new byte[capacity];
            dst.getBytes(0, before);
            int srcReader = src.readerIndex();
            int srcWriter = src.writerIndex();
            int dstReader = dst.readerIndex();
            int dstWriter = dst.writerIndex();

            BufferCopy.copy(src, srcIndex, dst, dstIndex, length);

            byte[] after = new byte[capacity];
            dst.getBytes(0, after);
            byte[] expected = before.clone();
            System.arraycopy(data, srcIndex, expected, dstIndex, length);
            assertThat(after).isEqualTo(expected);
            assertThat(new int[] {src.readerIndex(), src.writerIndex(), dst.readerIndex(), dst.writerIndex()})
                    .containsExactly(srcReader, srcWriter, dstReader, dstWriter);
        } finally {
            src.release();
            dst.release();
        }
    }

    /** {@code data} in a buffer of a kind {@code gen} picks; the caller releases it. */
    private static ByteBuf source(Gen gen, byte[] data) {
        return switch (gen.intBetween(0, 5)) {
            case 0 -> Unpooled.wrappedBuffer(data.clone());
            case 1 -> Unpooled.directBuffer(data.length).writeBytes(data);
            case 2 -> PooledByteBufAllocator.DEFAULT.directBuffer(data.length).writeBytes(data);
            case 3 -> ADAPTIVE.directBuffer(data.length).writeBytes(data);
            case 4 -> {
                // A slice of a larger buffer (index 0 is the data's first octet), holding the only reference to it.
                ByteBuf whole = ADAPTIVE.directBuffer(data.length + 16).writeZero(7).writeBytes(data).writeZero(9);
                ByteBuf slice = whole.retainedSlice(7, data.length);
                whole.release();
                yield slice;
            }
            default -> {
                CompositeByteBuf composite = Unpooled.compositeBuffer();
                int cut = data.length / 2;
                composite.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(data, 0, cut)));
                composite.addComponent(true, Unpooled.directBuffer(data.length - cut).writeBytes(data, cut, data.length - cut));
                yield composite;
            }
        };
    }

    /** A zeroed buffer of {@code capacity}, written full, of a kind {@code gen} picks; the caller releases it. */
    private static ByteBuf destination(Gen gen, int capacity) {
        ByteBuf dst = switch (gen.intBetween(0, 3)) {
            case 0 -> Unpooled.buffer(capacity, capacity);
            case 1 -> Unpooled.directBuffer(capacity, capacity);
            case 2 -> PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
            default -> ADAPTIVE.directBuffer(capacity, capacity);
        };
        return dst.writeZero(capacity);
    }
}
