package org.mirage4j.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeArgumentsTest {

    private static final String KERNEL = "console=ttyS0 quiet panic=-1 rdinit=/jre/bin/java LD_LIBRARY_PATH=/jre/lib:/lib";

    @Test
    void argumentsAfterDashesArriveUnchanged() {
        String cmdline = KERNEL + " -- -Xmx64m -cp /app/a.jar com.example.Main --hello=Hi\n";
        assertThat(RuntimeArguments.merge(cmdline, List.of("--hello=Hi"))).containsExactly("--hello=Hi");
    }

    @Test
    void mirageWordsBeforeDashesBecomeKeysBeforeTheArguments() {
        String cmdline = KERNEL + " mirage.port=8081 mirage.verbose -- -Xmx64m com.example.Main --hello=Hi";
        assertThat(RuntimeArguments.merge(cmdline, List.of("--hello=Hi")))
                .containsExactly("--port=8081", "--verbose", "--hello=Hi");
    }

    @Test
    void aKeyAfterDashesWinsOverTheSameKeyBeforeThem() {
        String cmdline = KERNEL + " mirage.port=8081 mirage.ipv4=10.0.0.2/24 -- com.example.Main --port=9090";
        assertThat(RuntimeArguments.merge(cmdline, List.of("--port=9090")))
                .containsExactly("--ipv4=10.0.0.2/24", "--port=9090");
        assertThat(RuntimeArguments.merge(cmdline, List.of("--port", "9090")))
                .containsExactly("--ipv4=10.0.0.2/24", "--port", "9090");
    }

    @Test
    void mirageWordsAfterDashesAreNotReadTwice() {
        String cmdline = KERNEL + " -- com.example.Main mirage.port=1";
        assertThat(RuntimeArguments.merge(cmdline, List.of("mirage.port=1"))).containsExactly("mirage.port=1");
    }

    @Test
    void otherDottedKernelParametersAndABarePrefixAreIgnored() {
        String cmdline = "virtio_net.napi_tx=1 mirage. miragex=1 mirage4j.x=1 -- Main";
        assertThat(RuntimeArguments.merge(cmdline, List.of())).isEmpty();
    }

    @Test
    void quotesKeepSpacesInsideAWordAndAreRemoved() {
        assertThat(RuntimeArguments.kernelWords("a \"mirage.motd=hello  world\" mirage.b=\"x y\"  c\n"))
                .containsExactly("a", "mirage.motd=hello  world", "mirage.b=x y", "c");
        assertThat(RuntimeArguments.merge("mirage.motd=\"hello world\" -- Main", List.of()))
                .containsExactly("--motd=hello world");
    }

    @Test
    void anEmptyCommandLineGivesTheArguments() {
        assertThat(RuntimeArguments.merge("", List.of("--a=1"))).containsExactly("--a=1");
        assertThat(RuntimeArguments.kernelWords("   ")).isEmpty();
    }
}
