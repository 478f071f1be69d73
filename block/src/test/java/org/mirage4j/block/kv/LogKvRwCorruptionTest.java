package org.mirage4j.block.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.block.memory.MemoryBlock;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * Damage to the device, anywhere: the store either reconnects and returns exactly the acknowledged values, or
 * fails with one clear error. Never a wrong value returned as valid.
 */
class LogKvRwCorruptionTest {

    @Property(tries = 400)
    void damagedBytesGiveTheRightValuesOrAClearError(Gen gen) throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 2 + 2 * gen.oneOf(30, 80));
        LogKvRw store = new LogKvRw(disk, new TestClock(), TrackedHeapAllocator.INSTANCE);
        store.connect();
        KvModel model = new KvModel();
        int steps = gen.intBetween(1, 60);
        long halfBytes = new Geometry(512, disk.info().sectors()).halfBytes();
        for (int i = 0; i < steps; i++) model = LogKvRwModelTest.step(gen, store, model, halfBytes);
        store.disconnect();

        byte[] image = disk.toByteArray();
        damage(gen, image);
        LogKvRw reopened = new LogKvRw(MemoryBlock.of(512, image, true), new TestClock(), TrackedHeapAllocator.INSTANCE);
        try {
            reopened.connect();
        } catch (DeviceException e) {
            assertThat(e.getMessage()).as("one sentence that says what to do").contains("; ").endsWith(".");
            return; // a clear error is an allowed outcome
        }
        // Connected: every value is the acknowledged one, or reading it says it is damaged.
        assertThat(StoreContents.read(reopened).keySet()).isEqualTo(model.values().keySet());
        for (Map.Entry<String, byte[]> e : model.values().entrySet()) {
            KvKey key = KvKey.parse(e.getKey());
            try {
                assertThat(StoreContents.value(reopened, key)).as("value of %s", key).isEqualTo(e.getValue());
            } catch (KvException damaged) {
                assertThat(damaged.reason()).isEqualTo(KvException.Reason.CORRUPT);
            }
        }
    }

    /** Flips a few random bytes, or overwrites a short run with random bytes, zeros or ones. */
    private static void damage(Gen gen, byte[] image) {
        if (gen.bool()) {
            int flips = gen.intBetween(1, 16);
            for (int i = 0; i < flips; i++) image[gen.intBetween(0, image.length - 1)] ^= (byte) gen.intBetween(1, 255);
        } else {
            int start = gen.intBetween(0, image.length - 1);
            int end = Math.min(image.length, start + gen.intBetween(1, 600));
            byte fill = gen.oneOf((byte) 0, (byte) 0xff, (byte) 0x5a);
            for (int i = start; i < end; i++) image[i] = gen.bool() ? fill : (byte) gen.intBetween(0, 255);
        }
    }

    @Test
    void damageAfterConnectIsReportedByTheRead() throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 2 + 2 * 30);
        LogKvRw store = new LogKvRw(disk, new TestClock(), TrackedHeapAllocator.INSTANCE);
        store.connect();
        byte[] value = "the value that will be damaged".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        LogKvRwModelTest.set(store, KvKey.parse("/k"), value);
        // The first record starts the log in half 0: find the value there and flip one of its bits.
        byte[] image = disk.toByteArray();
        int at = indexOf(image, value);
        ByteBuf sector = TrackedHeapAllocator.INSTANCE.heapBuffer(512);
        sector.writeBytes(image, at / 512 * 512, 512);
        sector.setByte(at % 512 + 3, sector.getByte(at % 512 + 3) ^ 0x01);
        disk.write(at / 512, sector);
        sector.release();

        assertThatThrownBy(() -> store.get(KvKey.parse("/k"))).isInstanceOfSatisfying(KvException.class,
                e -> assertThat(e.reason()).isEqualTo(KvException.Reason.CORRUPT));
        assertThatThrownBy(() -> store.digest(KvKey.parse("/k"))).isInstanceOf(KvException.class);
        assertThatThrownBy(() -> store.getPartial(KvKey.parse("/k"), 0, 2)).isInstanceOf(KvException.class);
        store.disconnect();
        assertThatThrownBy(() -> new LogKvRw(disk, new TestClock(), TrackedHeapAllocator.INSTANCE).connect())
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("damaged")
                .hasCauseInstanceOf(KvException.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("not found");
    }
}
