package org.mirage4j.testing.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RequiresNetNs
class NetNsTest {

    @Test
    void createsAUniqueNamespaceAndDeletesItOnClose() throws IOException {
        String name;
        try (NetNs a = NetNs.create("netns-test"); NetNs b = NetNs.create("netns-test")) {
            name = a.name();
            assertThat(a.name()).isNotEqualTo(b.name()).startsWith("netns-test-" + ProcessHandle.current().pid() + "-");
            assertThat(Path.of("/var/run/netns", a.name())).exists();
        }
        assertThat(Path.of("/var/run/netns", name)).doesNotExist();
    }

    @Test
    void runsCommandsInsideTheNamespaceOnly() throws IOException {
        try (NetNs ns = NetNs.create()) {
            ns.exec("ip", "tuntap", "add", "dev", "probe0", "mode", "tap");
            assertThat(ns.exec("ip", "-o", "link", "show")).contains("probe0").contains("lo:").contains("UP");
            // The machine's own namespace never sees it.
            assertThat(Commands.run(Duration.ofSeconds(10), java.util.List.of(Commands.ip().toString(), "-o", "link", "show"))
                    .stdout()).doesNotContain("probe0");
        }
    }

    @Test
    void reportsAFailingCommandWithItsStatusAndError() throws IOException {
        try (NetNs ns = NetNs.create()) {
            CommandResult result = ns.run(Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            assertThatThrownBy(() -> ns.exec("sh", "-c", "echo broken >&2; exit 3"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("exited with status 3")
                    .hasMessageContaining("broken");
        }
    }

    @Test
    void killsBackgroundProcessesAndDaemonsOnClose() throws IOException {
        NetNsProcess sleeper;
        long daemonPid;
        try (NetNs ns = NetNs.create()) {
            sleeper = ns.start("sleep", "600");
            // A daemon: the shell exits at once, leaving its child in the namespace.
            daemonPid = Long.parseLong(ns.exec("sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $!").strip());
            assertThat(sleeper.isAlive()).isTrue();
            assertThat(ProcessHandle.of(daemonPid)).isPresent();
        }
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(ProcessHandle.of(daemonPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void backgroundProcessOutputIsKept() throws IOException {
        try (NetNs ns = NetNs.create()) {
            NetNsProcess echo = ns.start("sh", "-c", "ip -o link show lo; echo done >&2");
            CommandResult result = echo.await(Duration.ofSeconds(10));
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).contains("lo:");
            assertThat(result.stderr()).isEqualTo("done\n");
        }
    }

    @Test
    void refusesCommandsAfterClose() throws IOException {
        NetNs ns = NetNs.create();
        ns.close();
        ns.close(); // idempotent
        assertThatThrownBy(() -> ns.exec("true")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
