package org.mirage4j.testing.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class NetNsConditionTest {

    @Test
    void enablesWhenNothingIsMissing() {
        ConditionEvaluationResult result = NetNsCondition.decide(Optional.empty(), true);
        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void skipsWithTheReasonOutsideCi() {
        ConditionEvaluationResult result = NetNsCondition.decide(Optional.of("needs the ip command"), false);
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).contains("This test needs the ip command.");
    }

    @Test
    void failsInsteadOfSkippingOnCi() {
        assertThatThrownBy(() -> NetNsCondition.decide(Optional.of("needs the ip command"), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs the ip command")
                .hasMessageContaining("CI=true");
    }

    /** Runs a guarded test through JUnit itself: it runs, is skipped, or fails, as this machine and CI say. */
    @Test
    void theAnnotationRunsSkipsOrFailsTheTest() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Guarded.class))
                .execute()
                .testEvents();
        Optional<String> missing = HostFacts.probe().missing();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (missing.isEmpty()) {
            tests.assertStatistics(s -> s.succeeded(1).skipped(0).failed(0));
        } else if (ci) {
            tests.assertStatistics(s -> s.succeeded(0).skipped(0).failed(1));
        } else {
            tests.assertStatistics(s -> s.succeeded(0).skipped(1).failed(0));
        }
    }

    @RequiresNetNs
    static class Guarded {
        @Test
        void runs() {}
    }
}
