package org.mirage4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.net.Ipv4Prefix;

class CommandLineTest {

    private static final RuntimeKey<Integer> PORT = RuntimeKey.optional("port", KeyType.INT, "8080", "TCP port to listen on");
    private static final RuntimeKey<Ipv4Prefix> IPV4 = RuntimeKey.required("ipv4", KeyType.IPV4_PREFIX, "address of the stack");
    private static final RuntimeKey<Boolean> VERBOSE = RuntimeKey.optional("verbose", KeyType.BOOLEAN, "false", "say more");
    private static final List<RuntimeKey<?>> KEYS = List.of(PORT, IPV4, VERBOSE);

    @Test
    void valuesComeFromTheCommandLineOrTheDefault() throws Exception {
        CommandLine line = CommandLine.parse(KEYS, List.of("--ipv4=10.0.0.2/24", "--verbose"));

        assertThat(line.values().get(PORT)).isEqualTo(8080);
        assertThat(line.values().get(IPV4)).isEqualTo(Ipv4Prefix.parse("10.0.0.2/24"));
        assertThat(line.values().get(VERBOSE)).isTrue();
        assertThat(line.help()).isFalse();
    }

    @Test
    void aValueMayFollowItsKey() throws Exception {
        CommandLine line = CommandLine.parse(KEYS, List.of("--port", "81", "--ipv4", "10.0.0.2/24"));

        assertThat(line.values().get(PORT)).isEqualTo(81);
    }

    @Test
    void logLevelsComeFromDashL() throws Exception {
        CommandLine line = CommandLine.parse(KEYS, List.of("--ipv4=10.0.0.2/24", "-l", "tcpip:debug,*:warning"));

        assertThat(line.logLevels().format()).isEqualTo("tcpip:debug,*:warning");
    }

    @Test
    void mistakesAreOneSentenceEach() {
        assertThatThrownBy(() -> CommandLine.parse(KEYS, List.of("--ipv4=10.0.0.2/24", "--prot=80")))
                .hasMessage("Unknown key --prot: this unikernel takes --port, --ipv4, --verbose, --logs (see --help).");
        assertThatThrownBy(() -> CommandLine.parse(KEYS, List.of("--port=80")))
                .hasMessage("--ipv4 is required (address of the stack): give it as --ipv4=10.0.0.2/24.");
        assertThatThrownBy(() -> CommandLine.parse(KEYS, List.of("--ipv4=10.0.0.2/24", "--port=eighty")))
                .hasMessage("--port=eighty is not valid: 'eighty' is not a whole number such as 8080.");
        assertThatThrownBy(() -> CommandLine.parse(KEYS, List.of("--ipv4=10.0.0.2/24", "--port=1", "--port=2")))
                .hasMessage("--port is given twice; give it once.");
        assertThatThrownBy(() -> CommandLine.parse(KEYS, List.of("port=80")))
                .hasMessage("'port=80' is not a key: write keys as --name=value (--help lists them).");
    }

    @Test
    void helpWorksWithoutRequiredKeysAndListsEveryKey() throws Exception {
        CommandLine line = CommandLine.parse(KEYS, List.of("--help"));
        String help = CommandLine.help("demo", KEYS);

        assertThat(line.help()).isTrue();
        assertThat(help)
                .contains("--port=INT\n      TCP port to listen on (default: 8080)")
                .contains("--ipv4=IPV4-PREFIX\n      address of the stack (required)")
                .contains("--logs=STRING, -l STRING")
                .contains("--help");
    }
}
