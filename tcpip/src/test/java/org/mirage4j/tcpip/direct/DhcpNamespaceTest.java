package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.net.unix.TapNetwork;
import org.mirage4j.tcpip.dhcp.Lease;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.NetNsProcess;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The direct stack gets its address from dnsmasq (Debian's dnsmasq-base) as its DHCP server, in a network
 * namespace of the test's own: dnsmasq serves 10.0.0.50 to 10.0.0.150 on the kernel's side of the tap, with its
 * shortest lease, 2 minutes, but T1 at 3 s (option 58), so that the stack renews every 3 s while the kernel pings it.
 */
@RequiresNetNs
@RequiresCommands({"dnsmasq", "ping", "ss"})
class DhcpNamespaceTest {

    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MonotonicClock REAL_TIME = System::nanoTime;
    private static final Duration LEASE_WITHIN = Duration.ofSeconds(5);

    @Test
    void getsALeaseFromDnsmasqWithinFiveSecondsAndRenewsItWithoutLosingAPing() throws Exception {
        Path work = Files.createTempDirectory("m4j-dnsmasq-");
        try (NetNs ns = NetNs.create("dhcp")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            DhcpIpv4Source source = new DhcpIpv4Source(new SeededRandom(11), LEASE_WITHIN);
            DirectStack stack = new DirectStack(tap, REAL_TIME, new SeededRandom(12), source);
            try {
                String ipv6 = "/proc/sys/net/ipv6/conf/tap0/disable_ipv6";
                ns.exec("sh", "-c", "[ ! -e " + ipv6 + " ] || echo 1 > " + ipv6);
                ns.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "tap0");
                ns.exec("ip", "link", "set", "tap0", "up");
                NetNsProcess dnsmasq = ns.start("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0",
                        "--interface=tap0", "--bind-interfaces", "--log-dhcp",
                        "--dhcp-range=10.0.0.50,10.0.0.150,255.255.255.0,2m",
                        "--dhcp-option=option:T1,3s", "--dhcp-option=option:T2,100s",
                        "--dhcp-leasefile=" + work.resolve("leases"), "--pid-file=" + work.resolve("pid"));
                // Wait until it listens on port 67, so that our first DISCOVER is not lost to its start-up.
                CommandResult ready = ns.run(Duration.ofSeconds(10), "sh", "-c",
                        "for i in $(seq 100); do ss -lun | grep -q ':67 ' && exit 0; sleep 0.05; done; exit 1");
                assertThat(ready.exitCode()).as("dnsmasq listens: %s", dnsmasq.isAlive() ? "" : dnsmasq.await(Duration.ZERO)).isZero();

                long start = System.nanoTime();
                stack.connect();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).isLessThan(LEASE_WITHIN);

                Lease first = source.lease();
                Ipv4Address address = first.address().address();
                assertThat(first.address().length()).isEqualTo(24);
                assertThat(Ipv4Prefix.parse("10.0.0.0/24").contains(address)).isTrue();
                assertThat(address.bits() & 0xFF).isBetween(50, 150);
                assertThat(first.gateway()).isEqualTo(Ipv4Address.parse("10.0.0.1"));
                assertThat(first.server()).isEqualTo(Ipv4Address.parse("10.0.0.1"));
                assertThat(first.leaseSeconds()).isEqualTo(120);
                assertThat(first.renewalSeconds()).isEqualTo(3);
                assertThat(stack.addresses()).containsExactly(address);

                // 60 pings over 12 s: the stack renews at 3, 6 and 9 s, and answers every ping meanwhile.
                CommandResult ping = ns.run(Duration.ofSeconds(60), "ping", "-q", "-c", "60", "-i", "0.2", "-W", "1", address.toString());
                assertThat(ping.stdout()).as("%s %s", ping.stdout(), ping.stderr())
                        .contains("60 packets transmitted, 60 received, 0% packet loss");
                assertThat(source.stats().acks()).as("the first ACK and the renewals").isGreaterThanOrEqualTo(4);
                assertThat(source.stats().naks()).isZero();
                assertThat(source.stats().expired()).isZero();
                Lease now = source.lease();
                assertThat(now.address()).isEqualTo(first.address());
                assertThat(now.start()).as("renewed").isGreaterThan(first.start());
                assertThat(stack.addresses()).containsExactly(address);
                assertThat(stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
            } finally {
                stack.disconnect();
                tap.disconnect();
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }
}
