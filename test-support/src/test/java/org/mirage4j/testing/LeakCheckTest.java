package org.mirage4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The fixtures below name no extension: the leak check must find them on its own, as it finds every test of a
 * module with test-support on its test classpath.
 */
class LeakCheckTest {

    @Test
    void aTestThatDropsABufferFailsAndTheRecordNamesIt() {
        Events tests = run(Leaking.class).testEvents();

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(failureMessage(tests.failed().list().getFirst()))
                .startsWith("Leak check after Leaking#dropsABuffer: 1 ByteBuf was garbage-collected without release()")
                .contains("Allocated during Leaking#dropsABuffer")
                .contains("Created at:")
                .contains("LeakCheckTest$Leaking.dropsABuffer(LeakCheckTest.java:");
    }

    @Test
    void aTestThatReleasesItsBuffersPasses() {
        // Two tests, twenty tries, the property, the class and the engine.
        run(Clean.class).allEvents().assertStatistics(stats -> stats.failed(0).succeeded(2 + 20 + 3));
    }

    @Test
    void onlyTestsThatAllocatedCollectGarbage() {
        long before = LeakDetection.garbageCollections();

        run(AllocatingFirst.class).testEvents().assertStatistics(stats -> stats.succeeded(3));
        // One collection after the test that allocated, one after the class; none after the other two.
        assertThat(LeakDetection.garbageCollections() - before).isEqualTo(2);
    }

    @Test
    void aPropertyCollectsGarbageOnceForAllItsTries() {
        long before = LeakDetection.garbageCollections();

        run(AllocatingProperty.class).testEvents().assertStatistics(stats -> stats.succeeded(50));
        assertThat(LeakDetection.garbageCollections() - before).isEqualTo(2);
    }

    @Test
    void buffersFromNettysDefaultAllocatorAreCheckedToo() {
        Events tests = run(LeakingDefaultAllocator.class).testEvents();

        tests.assertStatistics(stats -> stats.failed(1));
        assertThat(failureMessage(tests.failed().list().getFirst()))
                .contains("Allocated during LeakingDefaultAllocator#dropsADirectBuffer");
    }

    @Test
    void everyLeakingTestFailsEvenFromTheSameLine() {
        Events tests = run(LeakingTwice.class).testEvents();

        tests.assertStatistics(stats -> stats.started(2).failed(2));
        assertThat(tests.failed().stream().map(LeakCheckTest::failureMessage))
                .anyMatch(m -> m.contains("Allocated during LeakingTwice#first"))
                .anyMatch(m -> m.contains("Allocated during LeakingTwice#second"));
    }

    @Test
    void aLeakingPropertyNamesTheTryThatLeakedAndHowToRerunIt() {
        Events tries = run(LeakingProperty.class).testEvents();

        tries.assertStatistics(stats -> stats.failed(1));
        String message = failureMessage(tries.failed().list().getFirst());
        Matcher allocated = Pattern.compile(
                "Allocated during LeakingProperty#leaksSometimes \\[try (\\d+) of 200, seed (0x[0-9a-f]{16})]\\."
                        + " Rerun this try alone: \\S+ (-pl \\S+ )?test -Dtest='LeakCheckTest\\$LeakingProperty"
                        + "#leaksSometimes' -Dmirage.seed=(0x[0-9a-f]{16})").matcher(message);
        assertThat(allocated.find()).as(message).isTrue();
        assertThat(allocated.group(4)).isEqualTo(allocated.group(2));
        // That seed is one whose try drops its buffer.
        Gen rerun = new Gen(PropertyTry.parseSeed(allocated.group(2)));
        rerun.byteBuf(1, 16).release();
        assertThat(rerun.intBetween(0, 9)).isZero();
    }

    @Test
    void aBufferLeftInAFieldFailsTheClass() {
        var results = run(LeakingField.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        List<Event> failedClass = results.containerEvents().failed().list();
        assertThat(failedClass).hasSize(1);
        assertThat(failureMessage(failedClass.getFirst()))
                .startsWith("Leak check after LeakingField: 1 ByteBuf")
                .contains("Allocated during LeakingField#keepsABuffer");
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?> fixture) {
        // Implicit parameters are system properties, where LeakCheckSessionListener turned auto-detection on.
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .enableImplicitConfigurationParameters(true)
                .configurationParameter(Fixture.PARAMETER, Fixture.RUN)
                .execute();
    }

    private static String failureMessage(Event event) {
        Optional<Throwable> failure = event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
        return failure.map(Throwable::getMessage).orElse("");
    }

    @Fixture
    static class Leaking {
        @Test
        void dropsABuffer() {
            TrackedHeapAllocator.INSTANCE.heapBuffer(8).writeInt(42);
        }
    }

    @Fixture
    static class Clean {
        @Test
        void releasesItsBuffer() {
            ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(8).writeInt(42);
            buf.release();
        }

        @Test
        void allocatesNothing() {
            assertThat(1 + 1).isEqualTo(2);
        }

        @Property(tries = 20)
        void releasesEveryTry(Gen gen) {
            gen.byteBuf(0, 16).release();
        }
    }

    @Fixture
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class AllocatingFirst {
        @Test
        void a() {
            TrackedHeapAllocator.INSTANCE.heapBuffer(8).release();
        }

        @Test
        void b() {
            assertThat(1 + 1).isEqualTo(2);
        }

        @Test
        void c() {
            assertThat(2 + 2).isEqualTo(4);
        }
    }

    @Fixture
    static class AllocatingProperty {
        @Property(tries = 50)
        void releasesEveryTry(Gen gen) {
            gen.byteBuf(0, 16).release();
        }
    }

    @Fixture
    static class LeakingDefaultAllocator {
        @Test
        void dropsADirectBuffer() {
            ByteBufAllocator.DEFAULT.directBuffer(8).writeInt(42);
        }
    }

    @Fixture
    static class LeakingTwice {
        @Test
        void first() {
            dropABuffer();
        }

        @Test
        void second() {
            dropABuffer();
        }

        private static void dropABuffer() {
            TrackedHeapAllocator.INSTANCE.heapBuffer(8).writeInt(42);
        }
    }

    @Fixture
    static class LeakingProperty {
        @Property
        void leaksSometimes(Gen gen) {
            ByteBuf buf = gen.byteBuf(1, 16);
            // About one try in ten drops its buffer; 200 clean tries would happen once in 10^9 runs.
            if (gen.intBetween(0, 9) != 0) {
                buf.release();
            }
        }
    }

    @Fixture
    static class LeakingField {
        private ByteBuf kept;

        @Test
        void keepsABuffer() {
            kept = TrackedHeapAllocator.INSTANCE.heapBuffer(8).writeInt(42);
        }
    }
}
