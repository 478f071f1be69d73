package org.mirage4j.block.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.block.memory.MemoryBlock;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * The store against {@link KvModel}: random sets, removes and renames over a few colliding keys, on a device
 * small enough that the log compacts often and sometimes fills, with reconnects in between. After every step the
 * store answers as the model does; every error is the one the model predicts.
 */
class LogKvRwModelTest {

    /** Keys from a small alphabet, so that values, dictionaries and renames collide. */
    static KvKey key(Gen gen) {
        int depth = gen.intBetween(1, 3);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < depth; i++) path.append('/').append(gen.oneOf("a", "b", "c", "données"));
        return KvKey.parse(path.toString());
    }

    static byte[] value(Gen gen) {
        return switch (gen.intBetween(0, 9)) {
            case 0 -> new byte[0];
            case 1 -> gen.bytes(2000, 9000); // spans several sectors
            default -> gen.bytes(1, 300);
        };
    }

    /** One random change applied to both; returns the model after it (unchanged when the store refused). */
    static KvModel step(Gen gen, LogKvRw store, KvModel model, long halfBytes) throws IOException {
        switch (gen.intBetween(0, 9)) {
            case 0, 1 -> {
                KvKey key = gen.intBetween(0, 9) == 0 ? KvKey.ROOT : key(gen);
                store.remove(key);
                return model.remove(key);
            }
            case 2 -> {
                KvKey source = key(gen);
                KvKey destination = gen.intBetween(0, 19) == 0 ? KvKey.ROOT : key(gen);
                KvModel expected;
                try {
                    expected = model.rename(source, destination);
                } catch (KvException refused) {
                    assertRefused(() -> store.rename(source, destination), refused);
                    return model;
                }
                try {
                    store.rename(source, destination);
                } catch (KvException e) {
                    assertThat(e.reason()).as("rename %s %s", source, destination).isEqualTo(KvException.Reason.NO_SPACE);
                    long renameRecord = RecordHeader.recordLength(KeyCodec.encodedLength(source), KeyCodec.encodedLength(destination));
                    assertThat(new Geometry(512, 0).roundUp(model.recordBytes() + renameRecord)).as("room needed").isGreaterThan(halfBytes);
                    return model;
                }
                return expected;
            }
            default -> {
                KvKey key = key(gen);
                byte[] bytes = value(gen);
                KvModel expected;
                try {
                    expected = model.set(key, bytes);
                } catch (KvException refused) {
                    assertRefused(() -> set(store, key, bytes), refused);
                    return model;
                }
                try {
                    set(store, key, bytes);
                } catch (KvException e) {
                    assertThat(e.reason()).as("set %s", key).isEqualTo(KvException.Reason.NO_SPACE);
                    assertThat(e.getMessage()).contains("full");
                    // Only when the values after the change do not fit in a half.
                    assertThat(new Geometry(512, 0).roundUp(expected.recordBytes())).as("room needed").isGreaterThan(halfBytes);
                    return model;
                }
                return expected;
            }
        }
    }

    static void set(LogKvRw store, KvKey key, byte[] bytes) throws IOException {
        ByteBuf value = TrackedHeapAllocator.INSTANCE.heapBuffer(bytes.length).writeBytes(bytes);
        try {
            store.set(key, value);
            assertThat(value.readableBytes()).as("set leaves the caller's buffer as it was").isEqualTo(bytes.length);
        } finally {
            value.release();
        }
    }

    interface Call {
        void run() throws IOException;
    }

    static void assertRefused(Call call, KvException expected) throws IOException {
        try {
            call.run();
            fail("expected " + expected.reason() + " (" + expected.getMessage() + ")");
        } catch (KvException e) {
            assertThat(e.reason()).isEqualTo(expected.reason());
            assertThat(e.key()).isEqualTo(expected.key());
        }
    }

    @Property(tries = 60)
    void theStoreAnswersAsTheModelThroughCompactionsAndReconnects(Gen gen) throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, gen.oneOf(2L + 2 * 40, 2L + 2 * 120));
        long halfBytes = new Geometry(512, disk.info().sectors()).halfBytes();
        TestClock clock = new TestClock();
        LogKvRw store = new LogKvRw(disk, clock, TrackedHeapAllocator.INSTANCE);
        store.connect();
        KvModel model = new KvModel();
        int steps = gen.intBetween(20, 120);
        for (int i = 0; i < steps; i++) {
            model = step(gen, store, model, halfBytes);
            if (gen.intBetween(0, 4) == 0) {
                assertThat(StoreContents.matches(store, model)).as("after step %d: %s, expected %s", i,
                        StoreContents.describe(store), model).isTrue();
            }
            if (gen.intBetween(0, 14) == 0) {
                store.disconnect();
                store = new LogKvRw(disk, clock, TrackedHeapAllocator.INSTANCE);
                store.connect();
            }
        }
        assertThat(StoreContents.matches(store, model)).as("at the end: %s, expected %s", StoreContents.describe(store), model).isTrue();
        store.disconnect();
        LogKvRw again = new LogKvRw(disk, clock, TrackedHeapAllocator.INSTANCE);
        again.connect();
        assertThat(StoreContents.matches(again, model)).as("after reconnecting").isTrue();
    }

    @Property(tries = 30)
    void listAndExistsAgreeWithTheModel(Gen gen) throws IOException {
        MemoryBlock disk = MemoryBlock.create(512, 2 + 2 * 200);
        LogKvRw store = new LogKvRw(disk, new TestClock(), TrackedHeapAllocator.INSTANCE);
        store.connect();
        KvModel model = new KvModel();
        for (int i = 0; i < 40; i++) model = step(gen, store, model, new Geometry(512, disk.info().sectors()).halfBytes());
        for (int i = 0; i < 20; i++) {
            KvKey key = key(gen);
            var kind = store.exists(key);
            if (model.isValue(key)) assertThat(kind).as("exists(%s)", key).contains(org.mirage4j.api.kv.KvKind.VALUE);
            else if (model.isDictionary(key)) assertThat(kind).as("exists(%s)", key).contains(org.mirage4j.api.kv.KvKind.DICTIONARY);
            else assertThat(kind).as("exists(%s)", key).isEmpty();
        }
        List<?> rootEntries = store.list(KvKey.ROOT);
        assertThat(rootEntries.isEmpty()).isEqualTo(model.values().isEmpty());
    }
}
