package org.mirage4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class PropertyTest {

    /** The seeds the fixtures' tries saw, in order. */
    static final List<Long> SEEDS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forgetSeeds() {
        SEEDS.clear();
    }

    @Test
    void runsEveryTryWithItsOwnSeed() {
        Events tries = run(PassingProperty.class, null).testEvents();

        tries.assertStatistics(stats -> stats.started(7).succeeded(7).failed(0));
        assertThat(SEEDS).hasSize(7).doesNotHaveDuplicates();
        assertThat(tries.started().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .contains("try 1 of 7, seed " + PropertyTry.formatSeed(SEEDS.getFirst()));
    }

    @Test
    void eachRunStartsFromANewBaseSeed() {
        run(PassingProperty.class, null);
        List<Long> first = List.copyOf(SEEDS);
        SEEDS.clear();
        run(PassingProperty.class, null);
        assertThat(SEEDS).doesNotContainAnyElementsOf(first);
    }

    @Test
    void stopsAtTheFirstFailingTryAndSaysHowToRerunIt() {
        Events tries = run(FailingProperty.class, null).testEvents();

        tries.assertStatistics(stats -> stats.failed(1).succeeded(SEEDS.size() - 1));
        Throwable failure = tries.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        long seed = SEEDS.getLast();
        assertThat(failure).isInstanceOf(PropertyFailedError.class)
                .hasMessageStartingWith("Property FailingProperty#failsSometimes failed on try " + SEEDS.size()
                        + " of 200, seed " + PropertyTry.formatSeed(seed) + ". Rerun this try alone: ")
                .hasMessageContaining(" test -Dtest='PropertyTest$FailingProperty#failsSometimes' -Dmirage.seed="
                        + PropertyTry.formatSeed(seed))
                .hasMessageContaining("drew 0")
                .hasCauseInstanceOf(AssertionError.class);
        assertThat(((PropertyFailedError) failure).seed()).isEqualTo(seed);
        // The reported seed alone reproduces the failing draw.
        assertThat(new Gen(seed).intBetween(0, 9)).isZero();
    }

    @Test
    void aGivenSeedRunsOneTryWithThatSeed() {
        Events tries = run(PassingProperty.class, "0x00000000000000ff").testEvents();

        tries.assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SEEDS).containsExactly(255L);
    }

    @Test
    void anAbortedTryIsNotReportedAsAFailure() {
        Events tries = run(AbortingProperty.class, null).testEvents();

        tries.assertStatistics(stats -> stats.started(3).aborted(3).failed(0));
    }

    @Property
    void seedsReadBackAsWritten(Gen gen) {
        long seed = gen.longValue();
        assertThat(PropertyTry.parseSeed(PropertyTry.formatSeed(seed))).isEqualTo(seed);
        assertThat(PropertyTry.formatSeed(seed)).matches("0x[0-9a-f]{16}");
        assertThat(PropertyTry.parseSeed(Long.toString(seed))).isEqualTo(seed);
    }

    @Test
    void aMalformedSeedIsRefusedWithAnExample() {
        assertThatThrownBy(() -> PropertyTry.parseSeed("0xnope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dmirage.seed=0xnope is not a seed")
                .hasMessageContaining("0x1f2e3d4c5b6a7988");
    }

    @Test
    void theRerunCommandUsesTheWrapperAboveTheModule(@TempDir Path root) throws Exception {
        Path module = Files.createDirectories(root.resolve("apps/hello"));
        assertThat(PropertyTry.mavenCommand(module, "test")).isEqualTo("mvn test (in " + module + ")");

        Files.createFile(root.resolve("mvnw"));
        assertThat(PropertyTry.mavenCommand(module, "test")).isEqualTo("./mvnw -pl apps/hello test");
        assertThat(PropertyTry.mavenCommand(root, "test")).isEqualTo("./mvnw test");
    }

    private static EngineExecutionResults run(Class<?> fixture, String seed) {
        var kit = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameter(Fixture.PARAMETER, Fixture.RUN);
        if (seed != null) {
            kit.configurationParameter(PropertyExtension.SEED_PROPERTY, seed);
        }
        return kit.execute();
    }

    @Fixture
    static class PassingProperty {
        @Property(tries = 7)
        void recordsItsSeed(Gen gen) {
            SEEDS.add(gen.seed());
        }
    }

    @Fixture
    static class FailingProperty {
        @Property
        void failsSometimes(Gen gen) {
            SEEDS.add(gen.seed());
            // Fails in about one try in ten; 200 tries all passing would happen once in 10^9 runs.
            assertThat(gen.intBetween(0, 9)).as("drew %d", 0).isNotZero();
        }
    }

    @Fixture
    static class AbortingProperty {
        @Property(tries = 3)
        void abortsEveryTry(Gen gen) {
            Assumptions.abort("not this time");
        }
    }
}
