package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class RingBufferTest {

    /** Appending, reading, discarding and slicing agree with a plain queue, across wraps and growth. */
    @Property(tries = 200)
    void behavesAsABoundedQueue(Gen gen) {
        int limit = gen.intBetween(1, 70_000);
        RingBuffer ring = new RingBuffer(ByteBufAllocator.DEFAULT, limit);
        Deque<Byte> model = new ArrayDeque<>();
        byte next = 0;
        try {
            for (int step = 0; step < 200; step++) {
                switch (gen.intBetween(0, 3)) {
                    case 0 -> {
                        int n = gen.intBetween(0, Math.max(1, limit / 3));
                        ByteBuf src = Unpooled.buffer(n);
                        for (int i = 0; i < n; i++) src.writeByte(next + i);
                        int taken = ring.write(src, n);
                        assertThat(taken).isEqualTo(Math.min(n, limit - model.size()));
                        for (int i = 0; i < taken; i++) model.addLast((byte) (next + i));
                        next += (byte) taken;
                    }
                    case 1 -> {
                        ByteBuf dst = Unpooled.buffer(gen.intBetween(0, limit));
                        int n = ring.read(dst, Integer.MAX_VALUE);
                        assertThat(n).isEqualTo(Math.min(dst.capacity(), model.size()));
                        for (int i = 0; i < n; i++) assertThat(dst.getByte(i)).isEqualTo(model.removeFirst());
                    }
                    case 2 -> {
                        int n = gen.intBetween(0, model.size());
                        ring.discard(n);
                        for (int i = 0; i < n; i++) model.removeFirst();
                    }
                    default -> {
                        if (model.isEmpty()) break;
                        int offset = gen.intBetween(0, model.size() - 1);
                        int length = gen.intBetween(1, ring.contiguous(offset));
                        byte[] slice = ByteBufUtil.getBytes(ring.slice(offset, length)); // one access for the leak detector
                        Byte[] expected = model.toArray(new Byte[0]);
                        for (int i = 0; i < length; i++) assertThat(slice[i]).isEqualTo(expected[offset + i]);
                    }
                }
                assertThat(ring.size()).isEqualTo(model.size());
                assertThat(ring.free()).isEqualTo(limit - model.size());
                assertThat(ring.capacity()).isLessThanOrEqualTo(Math.max(limit, 0));
                if (model.isEmpty()) {
                    assertThat(ring.capacity()).as("an empty ring keeps at most one smallest buffer")
                            .isLessThanOrEqualTo(Math.min(RingBuffer.MIN_CAPACITY, limit));
                    if (gen.bool()) { // else the kept buffer takes the next bytes
                        assertThat(ring.releaseIfIdle()).as("an idle ring gives its buffer back").isTrue();
                        assertThat(ring.capacity()).as("an idle ring holds no buffer after releaseIfIdle").isZero();
                    }
                }
            }
        } finally {
            ring.release();
        }
    }

    /** Out-of-order bytes written ahead become readable, in order, once committed. */
    @Property(tries = 300)
    void outOfOrderWritesAssembleInOrder(Gen gen) {
        int limit = gen.intBetween(100, 50_000);
        RingBuffer ring = new RingBuffer(ByteBufAllocator.DEFAULT, limit);
        try {
            int readable = gen.intBetween(0, limit / 2);
            ByteBuf head = Unpooled.buffer(readable);
            for (int i = 0; i < readable; i++) head.writeByte(i);
            ring.write(head, readable);
            ByteBuf consumed = Unpooled.buffer(readable);
            ring.read(consumed, gen.intBetween(0, readable)); // move the head, so that writes wrap
            int before = ring.size();
            int length = gen.intBetween(1, limit - before);
            byte[] data = gen.bytes(length);
            // Write the data in pieces, in random order.
            int pieces = gen.intBetween(1, 5);
            int[] cuts = new int[pieces + 1];
            for (int i = 1; i < pieces; i++) cuts[i] = gen.intBetween(0, length);
            cuts[pieces] = length;
            java.util.Arrays.sort(cuts);
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int i = 0; i < pieces; i++) order.add(i);
            java.util.Collections.shuffle(order, new java.util.Random(gen.longValue()));
            for (int piece : order) {
                ring.writeAt(cuts[piece], Unpooled.wrappedBuffer(data), cuts[piece], cuts[piece + 1] - cuts[piece]);
            }
            ring.commit(length);
            ring.discard(before);
            ByteBuf out = Unpooled.buffer(length);
            assertThat(ring.read(out, Integer.MAX_VALUE)).isEqualTo(length);
            assertThat(out.array()).startsWith(data);
        } finally {
            ring.release();
        }
    }

    @Test
    void growsByDoublingUpToTheLimit() {
        RingBuffer ring = new RingBuffer(ByteBufAllocator.DEFAULT, 100_000);
        try {
            ring.write(Unpooled.buffer(10).writeZero(10), 10);
            assertThat(ring.capacity()).isEqualTo(16 * 1024);
            ring.write(Unpooled.buffer(20_000).writeZero(20_000), 20_000);
            assertThat(ring.capacity()).isEqualTo(32 * 1024);
            ring.write(Unpooled.buffer(80_000).writeZero(80_000), 80_000);
            assertThat(ring.capacity()).isEqualTo(100_000);
            assertThat(ring.size()).isEqualTo(100_000);
        } finally {
            ring.release();
        }
        assertThat(ring.capacity()).isZero();
    }
}
