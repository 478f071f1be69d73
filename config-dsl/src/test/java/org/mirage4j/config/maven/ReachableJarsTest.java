package org.mirage4j.config.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReachableJarsTest {

    private final Path app = Path.of("/app/target/hello.jar");
    private final Path runtime = Path.of("/m2/runtime-1.jar");
    private final Path console = Path.of("/m2/console-1.jar");
    private final Path block = Path.of("/m2/block-1.jar");
    private final Path lang3 = Path.of("/m2/commons-lang3-3.18.0.jar");

    @Test
    void keepsWhatTheSummaryReachesInClassPathOrder() {
        String summary = """
                hello.jar -> java.base
                hello.jar -> /m2/runtime-1.jar
                hello.jar -> not found
                runtime-1.jar -> /m2/console-1.jar
                console-1.jar -> java.logging
                """;

        List<Path> jars = ReachableJars.select(app, List.of(block, console, lang3, runtime), summary);

        assertThat(jars).containsExactly(app, console, runtime);
    }

    @Test
    void runsJdepsOnRealJars() throws Exception {
        // Dagger's jar refers to jakarta.inject's annotations and never to JavaPoet.
        Path dagger = jarOf(dagger.Component.class);
        Path inject = jarOf(jakarta.inject.Inject.class);
        Path javapoet = jarOf(com.palantir.javapoet.JavaFile.class);

        List<Path> jars = ReachableJars.from(dagger, List.of(javapoet, inject));

        assertThat(jars).containsExactly(dagger, inject);
    }

    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
