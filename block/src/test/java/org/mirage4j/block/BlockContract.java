package org.mirage4j.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * What every {@link Block} must do, run against each implementation by a subclass that says how to make one.
 * Buffers come from leak-tracked allocators, so a device that keeps, releases or leaks a caller's buffer fails.
 */
public abstract class BlockContract {

    private final List<Block> opened = new ArrayList<>();

    /** A connected read-write device of at least 64 sectors. */
    protected abstract Block newDevice() throws IOException;

    /** A connected read-only device of at least 4 sectors. */
    protected abstract Block newReadOnlyDevice() throws IOException;

    /** The storage of {@code device}, disconnected and connected again (as a new instance where that is how it is done). */
    protected abstract Block reopen(Block device) throws IOException;

    private Block device() throws IOException {
        return track(newDevice());
    }

    /** Remembers {@code device} to disconnect it after the test. */
    protected final Block track(Block device) {
        opened.add(device);
        return device;
    }

    @AfterEach
    void disconnectAll() {
        opened.forEach(Block::disconnect);
        opened.clear();
    }

    @Test
    void infoDescribesAUsableDevice() throws IOException {
        BlockInfo info = device().info();

        assertThat(Integer.bitCount(info.sectorSize())).isEqualTo(1);
        assertThat(info.sectors()).isGreaterThanOrEqualTo(64);
        assertThat(info.readWrite()).isTrue();
    }

    @Property(tries = 40)
    void readReturnsWhatWasWritten(Gen gen) throws IOException {
        Block block = device();
        int sectorSize = block.info().sectorSize();
        int count = gen.intBetween(1, 16);
        long start = gen.random().nextLong(block.info().sectors() - count + 1);
        byte[] data = gen.bytes(count * sectorSize);

        ByteBuf source = buffer(gen, data.length).writeBytes(data);
        ByteBuf back = buffer(gen, data.length);
        try {
            block.write(start, source);
            block.read(start, back);

            assertThat(source.isReadable()).as("write consumes the source's readable bytes").isFalse();
            assertThat(back.writableBytes()).as("read fills the destination").isZero();
            assertThat(bytes(back)).isEqualTo(data);
        } finally {
            source.release();
            back.release();
        }
    }

    @Test
    void theFirstAndLastSectorsAreUsable() throws IOException {
        Block block = device();
        int sectorSize = block.info().sectorSize();
        long last = block.info().sectors() - 1;

        writeFilled(block, 0, 1, (byte) 0x11);
        writeFilled(block, last, 1, (byte) 0x22);

        assertThat(readSectors(block, 0, 1)).containsOnly((byte) 0x11).hasSize(sectorSize);
        assertThat(readSectors(block, last, 1)).containsOnly((byte) 0x22).hasSize(sectorSize);
    }

    @Test
    void requestsPastTheEndAreRefusedAndChangeNothing() throws IOException {
        Block block = device();
        long sectors = block.info().sectors();
        int sectorSize = block.info().sectorSize();
        writeFilled(block, sectors - 1, 1, (byte) 0x33);

        for (long start : new long[] {sectors, sectors - 1, sectors + 5, -1, Long.MAX_VALUE / sectorSize}) {
            ByteBuf two = TrackedHeapAllocator.INSTANCE.heapBuffer(2 * sectorSize).writeZero(2 * sectorSize);
            try {
                assertThatThrownBy(() -> block.write(start, two)).as("write of 2 sectors at %d", start)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(two.readableBytes()).as("a refused write consumes nothing").isEqualTo(2 * sectorSize);
                two.clear();
                assertThatThrownBy(() -> block.read(start, two)).as("read of 2 sectors at %d", start)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(two.writerIndex()).as("a refused read fills nothing").isZero();
            } finally {
                two.release();
            }
        }
        assertThat(readSectors(block, sectors - 1, 1)).containsOnly((byte) 0x33);
    }

    @Test
    void partialSectorsAreRefused() throws IOException {
        Block block = device();
        int sectorSize = block.info().sectorSize();
        writeFilled(block, 0, 2, (byte) 0x44);

        for (int length : new int[] {1, sectorSize - 1, sectorSize + 1, 2 * sectorSize - 7}) {
            ByteBuf partial = TrackedHeapAllocator.INSTANCE.heapBuffer(length, length).writeZero(length);
            try {
                assertThatThrownBy(() -> block.write(0, partial)).as("write of %d bytes", length)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
                partial.clear();
                assertThatThrownBy(() -> block.read(0, partial)).as("read of %d bytes", length)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
            } finally {
                partial.release();
            }
        }
        assertThat(readSectors(block, 0, 2)).containsOnly((byte) 0x44);
    }

    @Test
    void zeroLengthRequestsDoNothing() throws IOException {
        Block block = device();
        writeFilled(block, 3, 1, (byte) 0x55);
        ByteBuf empty = TrackedHeapAllocator.INSTANCE.heapBuffer(0, 0);
        try {
            block.write(3, empty);
            block.read(3, empty);
        } finally {
            empty.release();
        }
        assertThat(readSectors(block, 3, 1)).containsOnly((byte) 0x55);
    }

    @Test
    void readsAndWritesMayUseCompositeAndDirectBuffers() throws IOException {
        Block block = device();
        int sectorSize = block.info().sectorSize();
        CompositeByteBuf source = TrackedHeapAllocator.INSTANCE.compositeBuffer();
        source.addComponent(true, TrackedHeapAllocator.INSTANCE.heapBuffer(sectorSize + 100).writeBytes(filled(sectorSize + 100, (byte) 1)));
        source.addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(sectorSize - 100).writeBytes(filled(sectorSize - 100, (byte) 2)));
        CompositeByteBuf back = TrackedHeapAllocator.INSTANCE.compositeBuffer();
        back.addComponent(false, ByteBufAllocator.DEFAULT.directBuffer(sectorSize - 1, sectorSize - 1));
        back.addComponent(false, TrackedHeapAllocator.INSTANCE.heapBuffer(sectorSize + 1, sectorSize + 1));
        back.capacity(2 * sectorSize);
        try {
            block.write(7, source);
            block.read(7, back);

            byte[] expected = new byte[2 * sectorSize];
            java.util.Arrays.fill(expected, 0, sectorSize + 100, (byte) 1);
            java.util.Arrays.fill(expected, sectorSize + 100, 2 * sectorSize, (byte) 2);
            assertThat(bytes(back)).isEqualTo(expected);
        } finally {
            source.release();
            back.release();
        }
    }

    @Test
    void theCallerKeepsItsBuffersAlsoWhenARequestFails() throws IOException {
        Block block = device();
        int sectorSize = block.info().sectorSize();
        ByteBuf buffer = TrackedHeapAllocator.INSTANCE.heapBuffer(sectorSize).writeBytes(filled(sectorSize, (byte) 9));
        try {
            block.write(1, buffer);
            assertThat(buffer.refCnt()).isEqualTo(1);
            buffer.clear();
            block.read(1, buffer);
            assertThat(buffer.refCnt()).isEqualTo(1);
            buffer.readerIndex(0);
            assertThatThrownBy(() -> block.write(block.info().sectors(), buffer)).isInstanceOf(IllegalArgumentException.class);
            assertThat(buffer.refCnt()).isEqualTo(1);
            // Still the caller's to use: the device kept no hold on it.
            buffer.setByte(0, 7);
            assertThat(readSectors(block, 1, 1)[0]).isEqualTo((byte) 9);
        } finally {
            buffer.release();
        }
    }

    @Test
    void flushedWritesSurviveReconnecting() throws IOException {
        Block block = newDevice();
        BlockInfo info = block.info();
        int sectorSize = info.sectorSize();
        long last = info.sectors() - 1;
        writeFilled(block, 5, 3, (byte) 0x66);
        writeFilled(block, last, 1, (byte) 0x77);
        block.flush();

        Block again = track(reopen(block));

        assertThat(again.info()).isEqualTo(info);
        assertThat(readSectors(again, 5, 3)).containsOnly((byte) 0x66).hasSize(3 * sectorSize);
        assertThat(readSectors(again, last, 1)).containsOnly((byte) 0x77);
    }

    @Test
    void aReadOnlyDeviceRefusesWritesAndChangesNothing() throws IOException {
        Block block = track(newReadOnlyDevice());
        int sectorSize = block.info().sectorSize();
        byte[] before = readSectors(block, 0, 4);
        ByteBuf source = TrackedHeapAllocator.INSTANCE.heapBuffer(sectorSize).writeBytes(filled(sectorSize, (byte) 0x5a));
        try {
            assertThat(block.info().readWrite()).isFalse();
            assertThatThrownBy(() -> block.write(0, source)).isInstanceOf(AccessDeniedException.class);
            assertThat(source.readableBytes()).isEqualTo(sectorSize);
            block.flush();
        } finally {
            source.release();
        }
        assertThat(readSectors(block, 0, 4)).isEqualTo(before);
    }

    @Test
    void requestsFromManyVirtualThreadsRunTogetherAndStayApart() throws Exception {
        Block block = device();
        int sectorSize = block.info().sectorSize();
        int threads = 16;
        long perThread = block.info().sectors() / threads;
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long first = t * perThread;
            long seed = 1000 + t;
            work.add(() -> {
                Gen gen = new Gen(seed);
                for (int round = 0; round < 20; round++) {
                    int count = gen.intBetween(1, (int) Math.min(perThread, 4));
                    long start = first + gen.random().nextLong(perThread - count + 1);
                    byte[] data = gen.bytes(count * sectorSize);
                    ByteBuf source = gen.bool() ? ByteBufAllocator.DEFAULT.directBuffer(data.length) : TrackedHeapAllocator.INSTANCE.heapBuffer(data.length);
                    ByteBuf back = TrackedHeapAllocator.INSTANCE.heapBuffer(data.length, data.length);
                    try {
                        source.writeBytes(data);
                        block.write(start, source);
                        if (gen.intBetween(0, 4) == 0) block.flush();
                        block.read(start, back);
                        assertThat(bytes(back)).as("thread %d round %d", seed, round).isEqualTo(data);
                    } finally {
                        source.release();
                        back.release();
                    }
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Void> f : pool.invokeAll(work)) f.get();
        }
    }

    @Test
    void aDisconnectedDeviceFailsRequests() throws IOException {
        Block block = newDevice();
        int sectorSize = block.info().sectorSize();
        block.disconnect();
        ByteBuf buffer = TrackedHeapAllocator.INSTANCE.heapBuffer(sectorSize, sectorSize);
        try {
            assertThatThrownBy(() -> block.read(0, buffer)).isInstanceOf(IOException.class);
            buffer.writeZero(sectorSize);
            assertThatThrownBy(() -> block.write(0, buffer)).isInstanceOf(IOException.class);
            assertThat(buffer.refCnt()).isEqualTo(1);
        } finally {
            buffer.release();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static ByteBuf buffer(Gen gen, int capacity) {
        return gen.bool()
                ? TrackedHeapAllocator.INSTANCE.heapBuffer(capacity, capacity)
                : ByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
    }

    protected static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }

    protected static void writeFilled(Block block, long start, int count, byte value) throws IOException {
        int length = count * block.info().sectorSize();
        ByteBuf source = TrackedHeapAllocator.INSTANCE.heapBuffer(length).writeBytes(filled(length, value));
        try {
            block.write(start, source);
        } finally {
            source.release();
        }
    }

    protected static byte[] readSectors(Block block, long start, int count) throws IOException {
        int length = count * block.info().sectorSize();
        ByteBuf back = TrackedHeapAllocator.INSTANCE.heapBuffer(length, length);
        try {
            block.read(start, back);
            return bytes(back);
        } finally {
            back.release();
        }
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
