package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelCommandLineTest {

    @Test
    void theJvmIsInitAndEverythingForItFollowsTheDashes() throws Exception {
        String line = KernelCommandLine.of(List.of("mitigations=off"), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                "app/app.jar:app/boot.jar", "com.example.Main", List.of("--port=80"));
        assertThat(line).isEqualTo("console=ttyS0 quiet panic=-1 cryptomgr.notests mitigations=off rdinit=/jre/bin/java LD_LIBRARY_PATH=/jre/lib:/lib"
                + " -- -Xmx64m -XX:+UseSerialGC -cp app/app.jar:app/boot.jar com.example.Main --port=80");
    }

    @Test
    void aWordWithSpacesIsQuotedAndOneWithAQuoteIsRefused() throws Exception {
        assertThat(KernelCommandLine.of(List.of(), List.of(), "", "Main", List.of("--motd=hello world")))
                .endsWith("-- Main \"--motd=hello world\"");
        assertThatThrownBy(() -> KernelCommandLine.of(List.of(), List.of("-Dq=\"x\""), "", "Main", List.of()))
                .isInstanceOf(ImageException.class).hasMessageContaining("double quote");
    }

    @Test
    void tooManyInitWordsAreRefusedKeepingRoomForKeys() throws Exception {
        List<String> options = Collections.nCopies(KernelCommandLine.MAX_INIT_WORDS - KernelCommandLine.WORDS_KEPT_FOR_KEYS - 1, "-Dx");
        assertThat(KernelCommandLine.of(List.of(), options, "", "Main", List.of())).endsWith("Main");
        List<String> oneMore = Collections.nCopies(options.size() + 1, "-Dx");
        assertThatThrownBy(() -> KernelCommandLine.of(List.of(), oneMore, "", "Main", List.of()))
                .isInstanceOf(ImageException.class).hasMessageContaining("at most 31");
    }

    @Test
    void aLineLongerThanTheKernelTakesIsRefused() {
        String classpath = String.join(":", Collections.nCopies(7, "app/" + "x".repeat(300) + ".jar"));
        assertThatThrownBy(() -> KernelCommandLine.of(List.of(), List.of(), classpath, "Main", List.of()))
                .isInstanceOf(ImageException.class).hasMessageContaining("more than the kernel's 2047");
    }
}
