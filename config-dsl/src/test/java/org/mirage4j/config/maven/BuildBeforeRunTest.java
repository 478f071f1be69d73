package org.mirage4j.config.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuildBeforeRunTest {

    @Test
    void execAloneIsBuiltFirst() {
        assertThat(BuildBeforeRun.needsBuild(List.of("exec:java"))).isTrue();
        assertThat(BuildBeforeRun.needsBuild(List.of("org.codehaus.mojo:exec-maven-plugin:3.7.0:java"))).isTrue();
        assertThat(BuildBeforeRun.needsBuild(List.of("exec:exec"))).isTrue();
    }

    @Test
    void aPhaseOrAnotherGoalIsLeftAlone() {
        assertThat(BuildBeforeRun.needsBuild(List.of("compile", "exec:java"))).isFalse();
        assertThat(BuildBeforeRun.needsBuild(List.of("package"))).isFalse();
        assertThat(BuildBeforeRun.needsBuild(List.of("dependency:tree"))).isFalse();
        assertThat(BuildBeforeRun.needsBuild(List.of())).isFalse();
    }
}
