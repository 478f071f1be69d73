package org.mirage4j.block.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.block.memory.MemoryBlock;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * Power loss at every kind of moment: the store runs on a {@link PowerCutBlock} that dies after a random number
 * of writes (during format, an append, a compaction, a superblock write, or the repair at the next connect),
 * keeping a random subset of its unflushed sectors and maybe tearing one. After each cut the store reconnects
 * on what the disk kept and must hold every acknowledged change and, for the change cut short, either the state
 * before it or the state after it. Several cuts in a row per try, so recovery itself is cut too.
 */
class LogKvRwCrashTest {

    @Property(tries = 300)
    void everyAcknowledgedChangeSurvivesAPowerCutAndNothingIsMixed(Gen gen) throws IOException {
        int sectors = 2 + 2 * gen.oneOf(24, 60);
        byte[] image = new byte[sectors * 512];
        KvModel acknowledged = new KvModel();
        KvModel ifCutShortLanded = null; // the model after the change in flight when the power went, if any
        TestClock clock = new TestClock();
        int rounds = gen.intBetween(1, 4);
        for (int round = 0; round <= rounds; round++) {
            boolean lastRound = round == rounds;
            PowerCutBlock disk = new PowerCutBlock(MemoryBlock.of(512, image, true),
                    lastRound ? Long.MAX_VALUE : gen.intBetween(0, 60));
            LogKvRw store = new LogKvRw(disk, clock, TrackedHeapAllocator.INSTANCE);
            try {
                store.connect();
                // Whatever the last cut left, the store is one of the states it may be in.
                if (ifCutShortLanded != null && !StoreContents.matches(store, acknowledged)) {
                    assertThat(StoreContents.matches(store, ifCutShortLanded))
                            .as("round %d: the store is %s, which is neither %s (before the change cut short) nor %s (after it)",
                                    round, StoreContents.describe(store), acknowledged, ifCutShortLanded)
                            .isTrue();
                    acknowledged = ifCutShortLanded;
                } else {
                    assertThat(StoreContents.matches(store, acknowledged))
                            .as("round %d: the store is %s, expected %s", round, StoreContents.describe(store), acknowledged)
                            .isTrue();
                }
                ifCutShortLanded = null;
                if (lastRound) return;
                for (int op = 0; op < 200; op++) {
                    Attempt attempt = attempt(gen, acknowledged);
                    try {
                        attempt.change().run(store);
                        acknowledged = attempt.expected();
                    } catch (KvException e) {
                        if (e.reason() != KvException.Reason.NO_SPACE && e.reason() != KvException.Reason.NOT_FOUND) throw e;
                        assertThat(e.reason()).isEqualTo(attempt.refusal());
                    } catch (IOException e) {
                        if (!disk.isCut()) throw e;
                        ifCutShortLanded = attempt.expected();
                        break;
                    }
                }
            } catch (IOException e) {
                if (!disk.isCut()) throw e; // a failed connect is fine only when the power went during it
            }
            image = disk.imageAfterCut(gen);
        }
    }

    /** A change the model allows (or refuses with NOT_FOUND), and the model after it. */
    record Attempt(Change change, KvModel expected, KvException.Reason refusal) {}

    interface Change {
        void run(LogKvRw store) throws IOException;
    }

    private static Attempt attempt(Gen gen, KvModel model) {
        while (true) {
            try {
                switch (gen.intBetween(0, 6)) {
                    case 0 -> {
                        KvKey key = LogKvRwModelTest.key(gen);
                        return new Attempt(store -> store.remove(key), model.remove(key), null);
                    }
                    case 1 -> {
                        List<String> keys = List.copyOf(model.values().keySet());
                        KvKey source = keys.isEmpty() || gen.bool() ? LogKvRwModelTest.key(gen) : KvKey.parse(gen.oneOf(keys));
                        KvKey destination = LogKvRwModelTest.key(gen);
                        if (!model.isValue(source) && !model.isDictionary(source)) {
                            return new Attempt(store -> store.rename(source, destination), model, KvException.Reason.NOT_FOUND);
                        }
                        return new Attempt(store -> store.rename(source, destination), model.rename(source, destination),
                                KvException.Reason.NO_SPACE);
                    }
                    default -> {
                        KvKey key = LogKvRwModelTest.key(gen);
                        byte[] value = gen.intBetween(0, 5) == 0 ? gen.bytes(600, 3000) : gen.bytes(0, 200);
                        return new Attempt(store -> LogKvRwModelTest.set(store, key, value), model.set(key, value),
                                KvException.Reason.NO_SPACE);
                    }
                }
            } catch (KvException refusedByTheModel) {
                // a change the store would refuse before writing anything: pick another
            }
        }
    }
}
