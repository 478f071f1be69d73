package org.mirage4j.block.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.block.memory.MemoryBlock;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.TrackedHeapAllocator;

class LogKvRwTest {

    private static LogKvRw open(Block disk) throws IOException {
        LogKvRw store = new LogKvRw(disk, new TestClock(), TrackedHeapAllocator.INSTANCE);
        store.connect();
        return store;
    }

    private static void set(LogKvRw store, String key, String value) throws IOException {
        LogKvRwModelTest.set(store, KvKey.parse(key), value.getBytes(UTF_8));
    }

    private static String get(LogKvRw store, String key) throws IOException {
        return new String(StoreContents.value(store, KvKey.parse(key)), UTF_8);
    }

    private static KvException.Reason reason(Throwable e) {
        return ((KvException) e).reason();
    }

    @Test
    void valuesDictionariesAndTimes() throws IOException {
        TestClock clock = new TestClock();
        Instant before = clock.now();
        LogKvRw store = new LogKvRw(MemoryBlock.create(512, 100), clock, TrackedHeapAllocator.INSTANCE);
        store.connect();
        set(store, "/css/site.css", "body {}");
        set(store, "/index.html", "<h1>hi</h1>");

        assertThat(get(store, "/css/site.css")).isEqualTo("body {}");
        assertThat(store.exists(KvKey.parse("/css"))).contains(KvKind.DICTIONARY);
        assertThat(store.exists(KvKey.ROOT)).contains(KvKind.DICTIONARY);
        assertThat(store.exists(KvKey.parse("/nothing"))).isEmpty();
        assertThat(store.list(KvKey.ROOT)).containsExactly(new KvEntry("css", KvKind.DICTIONARY), new KvEntry("index.html", KvKind.VALUE));
        assertThat(store.lastModified(KvKey.parse("/index.html"))).isAfter(before);
        assertThatThrownBy(() -> store.get(KvKey.parse("/css"))).matches(e -> reason(e) == KvException.Reason.VALUE_EXPECTED);
        assertThatThrownBy(() -> store.list(KvKey.parse("/index.html"))).matches(e -> reason(e) == KvException.Reason.DICTIONARY_EXPECTED);
        assertThatThrownBy(() -> store.list(KvKey.parse("/nothing"))).matches(e -> reason(e) == KvException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> set(store, "/index.html/x", "no")).matches(e -> reason(e) == KvException.Reason.DICTIONARY_EXPECTED);
        assertThatThrownBy(() -> set(store, "/css", "no")).matches(e -> reason(e) == KvException.Reason.VALUE_EXPECTED);

        store.remove(KvKey.parse("/css"));
        assertThat(store.exists(KvKey.parse("/css/site.css"))).isEmpty();
        assertThat(store.list(KvKey.ROOT)).containsExactly(new KvEntry("index.html", KvKind.VALUE));
        store.remove(KvKey.parse("/css")); // a missing key: nothing happens
    }

    @Test
    void renameMovesValuesAndWholeDictionaries() throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 100);
        LogKvRw store = open(disk);
        set(store, "/a/x", "1");
        set(store, "/a/y/z", "2");
        set(store, "/b", "old");

        store.rename(KvKey.parse("/a"), KvKey.parse("/b"));
        assertThat(get(store, "/b/x")).isEqualTo("1");
        assertThat(get(store, "/b/y/z")).isEqualTo("2");
        assertThat(store.exists(KvKey.parse("/a"))).isEmpty();

        store.rename(KvKey.parse("/b/x"), KvKey.parse("/c"));
        assertThat(get(store, "/c")).isEqualTo("1");
        assertThatThrownBy(() -> store.rename(KvKey.parse("/nope"), KvKey.parse("/d"))).matches(e -> reason(e) == KvException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> store.rename(KvKey.parse("/b"), KvKey.parse("/c/under")))
                .matches(e -> reason(e) == KvException.Reason.DICTIONARY_EXPECTED);

        LogKvRw again = reopen(store, disk);
        assertThat(StoreContents.read(again).keySet()).containsExactly("/b/y/z", "/c");
    }

    /** Disconnects {@code store} and opens a new store on {@code disk}, as a restart does. */
    private static LogKvRw reopen(LogKvRw store, Block disk) throws IOException {
        store.disconnect();
        return open(disk);
    }

    @Test
    void aLargeValueIsReadWholeAndInParts() throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 2 + 2 * 2048);
        LogKvRw store = open(disk);
        byte[] big = new Gen(7).bytes(300_000);
        LogKvRwModelTest.set(store, KvKey.parse("/big"), big);

        LogKvRw again = reopen(store, disk);
        assertThat(StoreContents.value(again, KvKey.parse("/big"))).isEqualTo(big);
        for (long[] range : new long[][] {{0, 10}, {65_530, 20}, {299_990, 100}, {400_000, 5}}) {
            ByteBuf part = again.getPartial(KvKey.parse("/big"), range[0], (int) range[1]);
            try {
                int from = (int) Math.min(range[0], big.length);
                int to = (int) Math.min(big.length, range[0] + range[1]);
                byte[] bytes = new byte[part.readableBytes()];
                part.getBytes(part.readerIndex(), bytes);
                assertThat(bytes).isEqualTo(java.util.Arrays.copyOfRange(big, from, to));
            } finally {
                part.release();
            }
        }
    }

    @Test
    void aFullStoreSaysSoChangesNothingAndStillRemoves() throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 2 + 2 * 16); // 8 KiB of log
        LogKvRw store = open(disk);
        byte[] value = new byte[1000];
        int stored = 0;
        KvException full = null;
        for (int i = 0; i < 20 && full == null; i++) {
            try {
                LogKvRwModelTest.set(store, KvKey.parse("/v" + i), value);
                stored++;
            } catch (KvException e) {
                full = e;
            }
        }
        assertThat(full).isNotNull();
        assertThat(full.reason()).isEqualTo(KvException.Reason.NO_SPACE);
        assertThat(full.getMessage()).contains("full").contains("; remove values or give it a larger device");
        assertThat(store.list(KvKey.ROOT)).hasSize(stored);

        store.remove(KvKey.parse("/v0"));
        store.remove(KvKey.parse("/v1"));
        LogKvRwModelTest.set(store, KvKey.parse("/after"), value);
        assertThat(reopen(store, disk).list(KvKey.ROOT)).hasSize(stored - 1);
    }

    @Test
    void aDeviceHoldingSomethingElseIsRefusedAndLeftAlone() throws IOException {
        byte[] image = new byte[512 * 40];
        new Gen(3).random().nextBytes(image);
        MemoryBlock disk = MemoryBlock.of(512, image, true);

        assertThatThrownBy(() -> open(disk)).isInstanceOf(DeviceException.class)
                .hasMessageContaining("something other than a mirage4j key-value store");
        assertThat(disk.toByteArray()).isEqualTo(image);
    }

    @Test
    void anEmptyReadOnlyDeviceOrATinyOneIsRefusedInOneSentence() {
        assertThatThrownBy(() -> open(MemoryBlock.of(512, new byte[512 * 40], false)))
                .isInstanceOf(DeviceException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> open(MemoryBlock.create(512, 6)))
                .isInstanceOf(DeviceException.class).hasMessageContaining("too few");
    }

    @Test
    void aStoreOnAReadOnlyDeviceReadsButRefusesChanges() throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 40);
        LogKvRw store = open(disk);
        set(store, "/k", "v");
        store.disconnect();

        LogKvRw readOnly = open(MemoryBlock.of(512, disk.toByteArray(), false));
        assertThat(get(readOnly, "/k")).isEqualTo("v");
        assertThatThrownBy(() -> set(readOnly, "/k", "w")).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void anOverlongKeyIsRefused() throws IOException {
        LogKvRw store = open(MemoryBlock.create(512, 40));
        KvKey key = KvKey.parse("/" + "x".repeat(RecordHeader.MAX_KEY_BYTES));
        assertThatThrownBy(() -> LogKvRwModelTest.set(store, key, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter key");
    }

    @Test
    void aFailedWriteStopsTheStoreUntilItIsReconnected() throws IOException {
        MemoryBlock memory = MemoryBlock.create(512, 40);
        LogKvRw first = open(memory);
        set(first, "/kept", "yes");
        first.disconnect();
        PowerCutBlock failing = new PowerCutBlock(memory, 1); // the second write fails
        LogKvRw store = open(failing);

        assertThatThrownBy(() -> set(store, "/lost", "maybe")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(store, "/kept")).isInstanceOf(IOException.class).hasMessageContaining("reconnect");
        LogKvRw again = open(memory);
        assertThat(get(again, "/kept")).isEqualTo("yes");
    }

    @Test
    void manyVirtualThreadsReadAndWriteTogether() throws Exception {
        MemoryBlock disk = MemoryBlock.create(512, 2 + 2 * 400);
        LogKvRw store = open(disk);
        int threads = 12;
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            work.add(() -> {
                for (int i = 0; i < 30; i++) {
                    set(store, "/t" + id + "/k" + (i % 5), "value " + i);
                    assertThat(get(store, "/t" + id + "/k" + (i % 5))).isEqualTo("value " + i);
                    store.list(KvKey.ROOT);
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Void> f : pool.invokeAll(work)) f.get();
        }
        LogKvRw again = reopen(store, disk);
        for (int t = 0; t < threads; t++) {
            for (int k = 0; k < 5; k++) assertThat(get(again, "/t" + t + "/k" + k)).isEqualTo("value " + (25 + k));
        }
    }

    @Test
    void geometryOfAnOddDevice() {
        Geometry g = new Geometry(512, 101);
        assertThat(g.halfSectors()).isEqualTo(49);
        assertThat(g.halfStartSector(1)).isEqualTo(51);
        assertThat(new BlockInfo(512, 101, true).sectors()).isGreaterThanOrEqualTo(g.halfStartSector(1) + g.halfSectors());
    }
}
