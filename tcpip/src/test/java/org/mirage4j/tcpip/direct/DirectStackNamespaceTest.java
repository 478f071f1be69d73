package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.net.unix.TapNetwork;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The direct stack against the Linux kernel as its peer: each test makes a network namespace, attaches a
 * {@link TapNetwork} to a tap inside it (nothing is created in the machine's own namespace), gives the kernel's side
 * 10.0.0.1/24, and runs the kernel's tools there (iputils' ping and arping, and a Python UDP client).
 */
@RequiresNetNs
class DirectStackNamespaceTest {

    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address LINUX_IP = Ipv4Address.parse("10.0.0.1");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final MonotonicClock REAL_TIME = System::nanoTime;

    /** A direct stack at 10.0.0.2/24 on the tap of a fresh namespace, the kernel's side up; closed after the body. */
    private interface Body {
        void run(NetNs ns, DirectStack stack) throws Exception;
    }

    private static void withStack(Body body) throws Exception {
        try (NetNs ns = NetNs.create("direct")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            DirectStack stack = new DirectStack(tap, REAL_TIME, new SeededRandom(5), new StaticIpv4Source(Ipv4Prefix.parse("10.0.0.2/24"), ""));
            try {
                String ipv6 = "/proc/sys/net/ipv6/conf/tap0/disable_ipv6";
                ns.exec("sh", "-c", "[ ! -e " + ipv6 + " ] || echo 1 > " + ipv6);
                ns.exec("ip", "addr", "add", LINUX_IP + "/24", "dev", "tap0");
                ns.exec("ip", "link", "set", "tap0", "up");
                stack.connect();
                body.run(ns, stack);
                assertThat(stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
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

    @Test
    void answersAThousandPingsTwoMillisecondsApartWithoutLoss() throws Exception {
        withStack((ns, stack) -> {
            CommandResult ping = run(ns, "ping", "-q", "-c", "1000", "-i", "0.002", "-W", "2", "10.0.0.2");
            assertThat(ping.stdout()).contains("1000 packets transmitted, 1000 received, 0% packet loss");
        });
    }

    @Test
    void answersAnEightThousandBytePingFragmentedBothWays() throws Exception {
        withStack((ns, stack) -> {
            CommandResult ping = run(ns, "ping", "-c", "3", "-s", "8000", "-W", "2", "10.0.0.2");
            assertThat(ping.stdout()).contains("3 received").contains("8008 bytes from 10.0.0.2");
            assertThat(stack.stats().ipv4().received()).isGreaterThanOrEqualTo(3 * 6);
        });
    }

    @Test
    void arpingLearnsOurMacAndWeResolveTheKernels() throws Exception {
        withStack((ns, stack) -> {
            CommandResult arping = run(ns, "arping", "-c", "3", "-I", "tap0", "10.0.0.2");
            assertThat(arping.stdout()).containsIgnoringCase("[" + OUR_MAC + "]").contains("Received 3 response(s)");

            MacAddress linuxMac = MacAddress.parse(ns.exec("cat", "/sys/class/net/tap0/address").strip());
            assertThat(stack.arp().query(LINUX_IP)).isEqualTo(linuxMac);
        });
    }

    @Test
    void echoesTenThousandDatagramsAndOneOf30000BytesByteForByte() throws Exception {
        String client = """
                import random, socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(2)
                s.connect(("10.0.0.2", 7))
                r = random.Random(1)
                sizes = [r.randint(0, 1472) for _ in range(10000)] + [30000]
                lost = bad = 0
                for n in sizes:
                    data = r.randbytes(n)
                    s.send(data)
                    try:
                        if s.recv(65535) != data:
                            bad += 1
                    except socket.timeout:
                        lost += 1
                print(f"sent={len(sizes)} lost={lost} bad={bad}")
                """;
        withStack((ns, stack) -> {
            stack.udp().listen(7, d -> stack.udp().write(7, d.source(), d.sourcePort(), d.payload()));
            CommandResult result = run(ns, "/usr/bin/python3", "-c", client);
            assertThat(result.stdout().strip()).isEqualTo("sent=10001 lost=0 bad=0");

            CommandResult socat = run(ns, "sh", "-c", "echo mirage4j | socat -t 2 - UDP:10.0.0.2:7");
            assertThat(socat.stdout()).isEqualTo("mirage4j\n");
        });
    }

    @Test
    void aClosedPortIsReportedToTheKernel() throws Exception {
        withStack((ns, stack) -> {
            // The kernel turns our ICMP port unreachable into ECONNREFUSED on the connected socket.
            String client = """
                    import socket
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.settimeout(2)
                    s.connect(("10.0.0.2", 9))
                    s.send(b"x")
                    try:
                        s.recv(10)
                        print("answered")
                    except ConnectionRefusedError:
                        print("refused")
                    """;
            assertThat(run(ns, "/usr/bin/python3", "-c", client).stdout().strip()).isEqualTo("refused");
        });
    }
}
