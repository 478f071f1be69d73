package org.mirage4j.net.unix.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.RequiresNetNs;

@RequiresNetNs
class NetNamespaceTest {

    private static final Path THREAD_NET_NS = Path.of("/proc/thread-self/ns/net");

    @Test
    void runsTheTaskInTheNamespaceAndLeavesTheCallerWhereItWas() throws IOException {
        Path before = Files.readSymbolicLink(THREAD_NET_NS);
        try (NetNs ns = NetNs.create("join")) {
            Path inside = NetNamespace.callInside(ns.name(), () -> Files.readSymbolicLink(THREAD_NET_NS));
            assertThat(inside.toString()).isEqualTo(ns.exec("readlink", "/proc/self/ns/net").strip()).isNotEqualTo(before.toString());
        }
        assertThat(Files.readSymbolicLink(THREAD_NET_NS)).isEqualTo(before);
    }

    @Test
    void aTapOpenedInsideIsTheNamespacesTap() throws IOException {
        try (NetNs ns = NetNs.create("join")) {
            try (Tun tun = NetNamespace.callInside(ns.name(), () -> Tun.attach("probe0"))) {
                assertThat(tun.name()).isEqualTo("probe0");
                assertThat(tun.persistent()).isFalse();
                assertThat(ns.exec("ip", "-o", "link", "show", "probe0")).contains("probe0");
            }
            assertThat(ns.run(NetNs.COMMAND_TIMEOUT, "ip", "link", "show", "probe0").exitCode()).isNotZero();
        }
    }

    @Test
    void passesOnWhatTheTaskThrows() {
        assertThatThrownBy(() -> {
            try (NetNs ns = NetNs.create("join")) {
                NetNamespace.callInside(ns.name(), () -> {
                    throw new IOException("from inside");
                });
            }
        }).isInstanceOf(IOException.class).hasMessage("from inside");
    }

    @Test
    void aMissingNamespaceIsAnErrnoOfTheOpen() {
        assertThatThrownBy(() -> NetNamespace.callInside("m4j-missing-" + ProcessHandle.current().pid(), () -> "never"))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.call()).isEqualTo(ErrnoException.Call.OPEN_NETNS);
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                });
    }
}
