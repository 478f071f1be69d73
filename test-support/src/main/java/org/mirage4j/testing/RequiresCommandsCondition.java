package org.mirage4j.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The condition behind {@link RequiresCommands}. */
public final class RequiresCommandsCondition implements ExecutionCondition {

    /** Used by JUnit through {@link RequiresCommands}. */
    public RequiresCommandsCondition() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> wanted = context.getElement()
                .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresCommands.class))
                .map(a -> Arrays.asList(a.value()))
                .orElse(List.of());
        List<String> missing = wanted.stream().filter(c -> !onPath(c)).toList();
        if (missing.isEmpty()) return ConditionEvaluationResult.enabled("found " + wanted);
        String reason = "This test needs " + String.join(", ", missing) + " on the PATH (apt-get install them, as .ci/run does)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + ", and CI=true does not let it be skipped.");
        }
        return ConditionEvaluationResult.disabled(reason + ".");
    }

    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, command))
                .anyMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }
}
