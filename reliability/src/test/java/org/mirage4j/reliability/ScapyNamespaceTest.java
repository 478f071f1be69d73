package org.mirage4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.net.unix.TapNetwork;
import org.mirage4j.tcpip.direct.DirectStack;
import org.mirage4j.tcpip.direct.Ipv4Source;
import org.mirage4j.tcpip.direct.DirectStats;
import org.mirage4j.tcpip.direct.DropReason;
import org.mirage4j.tcpip.tcp.TcpCounter;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * Issue 9's malformed packets, crafted by scapy ({@code hostile.py}, Debian's python3-scapy) and sent on the tap of
 * a fresh network namespace at a direct stack in this JVM: the stack counts and drops them, nothing escapes, and
 * the kernel's ping and curl are still answered afterwards.
 */
@RequiresNetNs
@RequiresCommands({"curl", "ping"})
class ScapyNamespaceTest {

    private static final MacAddress STACK_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void malformedPacketsFromScapyAreDroppedAndTheStackStillAnswersPingAndHttp(@TempDir Path dir) throws Exception {
        assumeScapy();
        Path script = dir.resolve("hostile.py");
        try (InputStream in = getClass().getResourceAsStream("hostile.py")) {
            Files.copy(in, script);
        }
        try (NetNs ns = NetNs.create("hostile")) {
            TapNetwork tap = new TapNetwork("tap0", STACK_MAC.toString(), ns.name());
            tap.connect();
            DirectStack stack = new DirectStack(tap, System::nanoTime, new SeededRandom(9), Ipv4Source.fixed(Ipv4Prefix.parse("10.0.0.2/24")));
            try {
                String ipv6 = "/proc/sys/net/ipv6/conf/tap0/disable_ipv6";
                ns.exec("sh", "-c", "[ ! -e " + ipv6 + " ] || echo 1 > " + ipv6);
                ns.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "tap0");
                ns.exec("ip", "link", "set", "tap0", "up");
                stack.connect();
                stack.tcp().listen(80, new HttpPage(HttpPage.SMALL));
                stack.udp().listen(StackPair.UDP_ECHO_PORT, d -> d.payload().release());

                CommandResult sent = run(ns, "/usr/bin/python3", script.toString(), "tap0", STACK_MAC.toString(), "10.0.0.2", "10.0.0.1", "80");
                int count = Integer.parseInt(sent.stdout().strip().substring("sent ".length()));
                assertThat(count).isGreaterThan(150);

                assertThat(run(ns, "ping", "-c", "3", "-W", "2", "10.0.0.2").stdout()).contains("3 received");
                String page = run(ns, "curl", "-sS", "--max-time", "10", "http://10.0.0.2/").stdout();
                assertThat(page).hasSize(HttpPage.SMALL).startsWith("abcdefghijklmnopqrstuvwxyz");

                DirectStats stats = stack.stats();
                System.out.println("ScapyNamespaceTest: " + count + " crafted frames; " + stats + "; " + stack.tcpStats());
                assertThat(stats.stack().dropped(DropReason.INTERNAL_ERROR)).as("frames whose handling threw").isZero();
                assertThat(stats.ipv4().dropped(DropReason.TRUNCATED)).isPositive();
                assertThat(stats.ipv4().dropped(DropReason.BAD_HEADER_LENGTH)).isEqualTo(5);
                assertThat(stats.ipv4().dropped(DropReason.FRAGMENT_OVERLAP)).isPositive();
                assertThat(stats.ipv4().dropped(DropReason.BAD_FRAGMENT)).isPositive();
                assertThat(stats.arp().totalDropped()).as("ARP with odd lengths").isGreaterThanOrEqualTo(6);
                assertThat(stack.tcpStats().get(TcpCounter.MALFORMED)).as("TCP options of length 0, 1, past the header").isEqualTo(4);
                assertThat(stats.udp().dropped(DropReason.TRUNCATED) + stats.udp().dropped(DropReason.BAD_LENGTH)).isPositive();
            } finally {
                stack.disconnect();
                tap.disconnect();
            }
        }
    }

    private static CommandResult run(NetNs ns, String... command) throws IOException {
        CommandResult result = ns.run(TIMEOUT, command);
        assertThat(result.exitCode()).as("%s: %s %s", String.join(" ", command), result.stdout(), result.stderr()).isZero();
        return result;
    }

    /** Skips without scapy for /usr/bin/python3 (Debian's python3-scapy), unless CI=true, where it fails. */
    private static void assumeScapy() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import scapy.all").redirectErrorStream(true).start();
        boolean present = p.waitFor() == 0;
        String reason = "scapy is not installed for /usr/bin/python3: install Debian's python3-scapy";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + ", and CI=true does not let this test be skipped.");
        }
        Assumptions.assumeTrue(present, reason);
    }
}
