package org.mirage4j.block.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.testing.TrackedHeapAllocator;
import org.mirage4j.virtio.DeviceStatus;
import org.mirage4j.virtio.testing.Misbehaviour;
import org.mirage4j.virtio.testing.SoftwareBlockDevice;
import org.mirage4j.virtio.testing.SoftwareDmaMemory;
import org.mirage4j.virtio.testing.SoftwareVirtioBus;

/** What the block contract does not cover: the device's geometry, limits, flush, errors and misbehaviour. */
class VirtioBlockTest {

    private final SoftwareDmaMemory memory = new SoftwareDmaMemory();
    private final SoftwareVirtioBus bus = new SoftwareVirtioBus(memory);
    private final List<VirtioBlock> connected = new ArrayList<>();

    @AfterEach
    void disconnect() {
        connected.forEach(VirtioBlock::disconnect);
        assertThat(memory.liveRegions()).as("rings and request buffers freed").isZero();
    }

    private VirtioBlock connect() throws IOException {
        VirtioBlock block = new VirtioBlock(bus);
        block.connect();
        connected.add(block);
        return block;
    }

    private static MemorySegment disk(long bytes) {
        return Arena.ofAuto().allocate(bytes, 8);
    }

    private static byte[] read(VirtioBlock block, long sector, int bytes) throws IOException {
        ByteBuf back = TrackedHeapAllocator.INSTANCE.heapBuffer(bytes, bytes);
        try {
            block.read(sector, back);
            byte[] out = new byte[bytes];
            back.getBytes(0, out);
            return out;
        } finally {
            back.release();
        }
    }

    private static void write(VirtioBlock block, long sector, byte[] data) throws IOException {
        ByteBuf source = TrackedHeapAllocator.INSTANCE.heapBuffer(data.length).writeBytes(data);
        try {
            block.write(sector, source);
        } finally {
            source.release();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLargeBlockSizeSetsTheSectorSizeAndSectorsCountIn512ByteUnits(boolean legacy) throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, legacy, 64, disk(64 * 4096), 4096, false, true, 0, 0));
        VirtioBlock block = connect();
        assertThat(block.info()).isEqualTo(new BlockInfo(4096, 64, true));

        byte[] data = new byte[3 * 4096];
        new SplittableRandom(7).nextBytes(data);
        write(block, 10, data);

        byte[] stored = new byte[data.length];
        MemorySegment.copy(device.storage(), ValueLayout.JAVA_BYTE, 10 * 4096, stored, 0, stored.length);
        assertThat(stored).isEqualTo(data);
        assertThat(read(block, 10, data.length)).isEqualTo(data);
    }

    @Test
    void largeRequestsAreSplitToTheDevicesLimits() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 32, disk(4096 * 512), 0, false, true, 3, 2048));
        VirtioBlock block = connect();
        byte[] data = new byte[1 << 20];
        new SplittableRandom(11).nextBytes(data);

        write(block, 100, data);
        assertThat(read(block, 100, data.length)).isEqualTo(data);

        assertThat(device.limitViolations()).isZero();
        assertThat(device.requests()).as("1 MiB in requests of at most 3 × 2 KiB, both ways").isEqualTo(2 * ((1 << 20) / 6144 + 1));
    }

    @Test
    void requestsFromManyThreadsAreInFlightTogether() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 128, disk(1024 * 512), 0, false, true, 0, 0));
        device.completeInReverse(true);
        VirtioBlock block = connect();
        int threads = 32;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sector = t * 32;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 30; round++) {
                        byte[] data = new byte[4 * 512];
                        new SplittableRandom(sector * 100L + round).nextBytes(data);
                        write(block, sector + round % 8, data);
                        assertThat(read(block, sector + round % 8, data.length)).isEqualTo(data);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> f : done) f.get(30, TimeUnit.SECONDS);
        }
        assertThat(device.mostInFlight()).as("requests overlapped at the device").isGreaterThan(1);
    }

    @Test
    void flushReachesADeviceWithAWriteCacheAndIsFreeOnAWriteThroughOne() throws Exception {
        SoftwareBlockDevice cached = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        VirtioBlock first = connect();
        first.flush();
        first.flush();
        assertThat(cached.flushes()).isEqualTo(2);

        SoftwareBlockDevice writeThrough = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, false, 0, 0));
        VirtioBlock second = connect();
        long before = writeThrough.requests();
        second.flush();
        assertThat(writeThrough.requests()).isEqualTo(before);
        assertThat(writeThrough.flushes()).isZero();
    }

    @Test
    void aDeviceErrorIsAnIOExceptionOfOneSentence() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        VirtioBlock block = connect();
        device.failAt(20);

        assertThatThrownBy(() -> read(block, 18, 4 * 512)).isInstanceOf(IOException.class)
                .hasMessage("The virtio-blk device reported an I/O error for a read of 4 sectors from sector 18.");
        assertThatThrownBy(() -> write(block, 20, new byte[512])).isInstanceOf(IOException.class)
                .hasMessage("The virtio-blk device reported an I/O error for a write of 1 sectors from sector 20.");
        assertThat(read(block, 21, 512)).hasSize(512);
    }

    @Test
    void aMisbehavingDeviceFailsOnlyTheRequestsItGotWrong() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        VirtioBlock block = connect();
        write(block, 1, new byte[512]);

        device.misbehave(Misbehaviour.LENGTH_TOO_LONG, 1);
        assertThatThrownBy(() -> read(block, 1, 512)).isInstanceOf(IOException.class)
                .hasMessageContaining("more bytes than a read of 1 sectors from sector 1 has room for");
        device.misbehave(Misbehaviour.ID_OUT_OF_RANGE, 2);
        device.misbehave(Misbehaviour.ID_REPEATED, 2);
        for (int i = 0; i < 4; i++) assertThat(read(block, 1, 512)).containsOnly(0);
        write(block, 2, new byte[1024]);
        assertThat(device.status() & DeviceStatus.FAILED).isZero();
    }

    @Test
    void aBrokenRingFailsEveryLaterRequest() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        VirtioBlock block = connect();
        device.misbehave(Misbehaviour.USED_INDEX_JUMP, 1);

        assertThatThrownBy(() -> read(block, 0, 512)).isInstanceOf(IOException.class).hasMessageContaining("used index jumped");
        assertThatThrownBy(() -> read(block, 0, 512)).isInstanceOf(IOException.class).hasMessageContaining("gave up on it");
        assertThat(device.status() & DeviceStatus.FAILED).isNotZero();
    }

    @Test
    void aDeviceThatNeedsAResetFailsRequestsWithOneSentence() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        VirtioBlock block = connect();
        device.stall(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> waiting = pool.submit(() -> read(block, 0, 512));
            Thread.sleep(50);
            device.requestReset();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("DEVICE_NEEDS_RESET");
        }
        assertThatThrownBy(() -> read(block, 0, 512)).isInstanceOf(IOException.class).hasMessageContaining("DEVICE_NEEDS_RESET");
    }

    @Test
    void disconnectFailsARequestTheDeviceNeverAnswers() throws Exception {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        VirtioBlock block = new VirtioBlock(bus);
        block.connect();
        device.stall(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> waiting = pool.submit(() -> read(block, 0, 512));
            Thread.sleep(50);
            long start = System.nanoTime();
            block.disconnect();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("disconnected");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(device.claimed()).isFalse();
    }

    @Test
    void aRefusedFeatureSetIsOneClearError() {
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, disk(64 * 512), 0, false, true, 0, 0));
        device.misbehave(Misbehaviour.REFUSE_FEATURES, 1);
        VirtioBlock block = new VirtioBlock(bus);

        assertThatThrownBy(block::connect).isInstanceOf(DeviceException.class).hasMessageStartingWith("The virtio-blk device refused the features");
        assertThat(device.claimed()).isFalse();
        assertThatThrownBy(block::info).isInstanceOf(IllegalStateException.class);
    }
}
