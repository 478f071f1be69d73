package org.mirage4j.testing.netns;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link RequiresNetNs}: enables the test where {@link HostFacts} has
 * everything, skips it with the reason where not, and fails it instead when {@code CI=true}.
 */
public final class NetNsCondition implements ExecutionCondition {

    /** Looked up once per JVM: the facts do not change while tests run. */
    private static final class Current {
        static final HostFacts FACTS = HostFacts.probe();
    }

    /** Used by JUnit through {@link RequiresNetNs}. */
    public NetNsCondition() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return decide(Current.FACTS.missing(), "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /**
     * The decision for a host that lacks {@code missing} (empty when it lacks nothing).
     *
     * @throws IllegalStateException when something is missing and {@code ci} is set: JUnit
     *     reports an exception thrown by a condition as a failure of the test
     */
    static ConditionEvaluationResult decide(Optional<String> missing, boolean ci) {
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("root, ip and /dev/net/tun are available");
        }
        if (ci) {
            throw new IllegalStateException("This test " + missing.get()
                    + ", and CI=true does not let it be skipped: give the CI machine what it lacks.");
        }
        return ConditionEvaluationResult.disabled("This test " + missing.get() + ".");
    }
}
