package org.mirage4j.tcpip.direct;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.net.unix.TapNetwork;
import org.mirage4j.tcpip.link.FaultSpec;
import org.mirage4j.tcpip.link.FaultyNetwork;
import org.mirage4j.tcpip.tcp.TcpConfig;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.NetNsProcess;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The direct stack's TCP against the Linux kernel's: each test makes a network namespace with the stack on a tap
 * inside it (10.0.0.2, the kernel's side 10.0.0.1), and runs curl and socat there. Bulk sizes come from the system
 * property {@code mirage.tcp.bulkMiB} (default {@value #DEFAULT_BULK_MIB} MiB); each run prints the MB/s it measured.
 */
@RequiresNetNs
@RequiresCommands({"curl", "socat", "sha256sum", "nft"})
class DirectTcpNamespaceTest {

    private static final int DEFAULT_BULK_MIB = 8;
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address LINUX_IP = Ipv4Address.parse("10.0.0.1");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final MonotonicClock REAL_TIME = System::nanoTime;

    private interface Body {
        void run(NetNs ns, DirectStack stack) throws Exception;
    }

    private static void withStack(Body body) throws Exception {
        withStack(TcpConfig.DEFAULT, "", body);
    }

    /** As {@link #withStack(Body)}, with {@code config}, and our side's frames through {@code faults} if not empty. */
    private static void withStack(TcpConfig config, String faults, Body body) throws Exception {
        try (NetNs ns = NetNs.create("tcp")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            Network link = faults.isEmpty() ? tap : new FaultyNetwork(tap, FaultSpec.parse(faults));
            DirectStack stack = new DirectStack(link, REAL_TIME, new SeededRandom(5),
                    new StaticIpv4Source(Ipv4Prefix.parse("10.0.0.2/24"), ""), ByteBufAllocator.DEFAULT, config);
            try {
                String ipv6 = "/proc/sys/net/ipv6/conf/tap0/disable_ipv6";
                ns.exec("sh", "-c", "[ ! -e " + ipv6 + " ] || echo 1 > " + ipv6);
                ns.exec("ip", "addr", "add", LINUX_IP + "/24", "dev", "tap0");
                ns.exec("ip", "link", "set", "tap0", "up");
                stack.connect();
                // Over the tap the stack moves 64 KiB segments with partial checksums; the fault device keeps frames plain.
                assertThat(stack.offloads()).isEqualTo(faults.isEmpty() ? Offloads.ALL : Offloads.NONE);
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

    private static long bulkBytes(long defaultMiB) {
        return Long.getLong("mirage.tcp.bulkMiB", defaultMiB) << 20;
    }

    @Test
    void curlGetsAPageFromAHandlerOnTheStack() throws Exception {
        String body = "<h1>Hello from mirage4j's own TCP</h1>\n";
        withStack((ns, stack) -> {
            stack.tcp().listen(8080, flow -> {
                StringBuilder request = new StringBuilder();
                while (request.indexOf("\r\n\r\n") < 0) {
                    ByteBuf data = flow.read();
                    if (data == null) return;
                    request.append(data.toString(US_ASCII));
                    data.release();
                }
                flow.write(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                        + body.length() + "\r\nConnection: close\r\n\r\n" + body, US_ASCII));
            });
            for (int i = 0; i < 20; i++) {
                CommandResult curl = run(ns, "curl", "-sS", "--max-time", "10", "http://10.0.0.2:8080/");
                assertThat(curl.stdout()).isEqualTo(body);
            }
        });
    }

    @Test
    void bulkBothWaysWithLinuxHasEqualSha256(@TempDir Path dir) throws Exception {
        withStack((ns, stack) -> bulkBothWays(ns, stack, dir, bulkBytes(DEFAULT_BULK_MIB), "no loss"));
    }

    @Test
    void bulkBothWaysSurvivesOnePercentLossFromLinux(@TempDir Path dir) throws Exception {
        withStack((ns, stack) -> {
            dropFromLinux(ns, 1);
            bulkBothWays(ns, stack, dir, bulkBytes(DEFAULT_BULK_MIB) / 2, "1% loss");
        });
    }

    @Test
    void bulkBothWaysSurvivesFivePercentLossFromLinux(@TempDir Path dir) throws Exception {
        withStack((ns, stack) -> {
            dropFromLinux(ns, 5);
            bulkBothWays(ns, stack, dir, bulkBytes(DEFAULT_BULK_MIB) / 2, "5% loss");
        });
    }

    @Test
    void bulkBothWaysSurvivesTwentyPercentLossFromLinux(@TempDir Path dir) throws Exception {
        withStack((ns, stack) -> {
            dropFromLinux(ns, 20);
            bulkBothWays(ns, stack, dir, bulkBytes(DEFAULT_BULK_MIB) / 8, "20% loss");
        });
    }

    /**
     * Our side's frames, both ways, go through the fault-injecting device: reordered, duplicated, and with bits
     * flipped (which Linux's checksums catch, and which ours must catch coming the other way).
     */
    @Test
    void bulkBothWaysSurvivesReorderingDuplicationAndCorruptionOnOurSide(@TempDir Path dir) throws Exception {
        withStack(TcpConfig.DEFAULT, "reorder=0.02:3,duplicate=0.01,flip=0.01,seed=7", (ns, stack) ->
                bulkBothWays(ns, stack, dir, bulkBytes(DEFAULT_BULK_MIB) / 2, "reorder 2%, duplicate 1%, flip 1%"));
    }

    /**
     * 10 000 connections one after the other, Linux's client to our server and ours to Linux's server, each closed
     * first by our side, so that TIME-WAIT is ours to bound: the table never holds more than the limit, and every
     * buffer comes back (the leak detector runs at PARANOID in every test).
     */
    @Test
    void tenThousandSequentialConnectionsKeepTimeWaitBounded() throws Exception {
        int connections = Integer.getInteger("mirage.tcp.sequentialConnections", 10_000);
        int limit = 256;
        withStack(TcpConfig.DEFAULT.toBuilder().timeWaitLimit(limit).build(), "", (ns, stack) -> {
            stack.tcp().listen(7000, flow -> {
                ByteBuf hello = flow.read();
                if (hello == null) return;
                flow.write(hello); // the answer, then our FIN first: TIME-WAIT on our side
            });
            String client = String.join("\n",
                    "import socket",
                    "for i in range(" + connections + "):",
                    "    s = socket.create_connection(('10.0.0.2', 7000), timeout=10)",
                    "    s.sendall(b'hello %d' % i)",
                    "    answer = b''",
                    "    while True:",
                    "        d = s.recv(100)",
                    "        if not d: break",
                    "        answer += d",
                    "    assert answer == b'hello %d' % i, (i, answer)",
                    "    s.close()",
                    "print('ok')");
            assertThat(run(ns, "python3", "-c", client).stdout().strip()).isEqualTo("ok");
            assertThat(stack.tcpStats().timeWait()).isLessThanOrEqualTo(limit);

            String server = String.join("\n",
                    "import socket",
                    "l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                    "l.bind(('10.0.0.1', 7001)); l.listen(64)",
                    "for i in range(" + connections + "):",
                    "    s, _ = l.accept()",
                    "    d = s.recv(100)",
                    "    s.sendall(d)",
                    "    s.recv(100)", // our FIN
                    "    s.close()",
                    "print('ok')");
            try (NetNsProcess linux = ns.start("python3", "-c", server)) {
                for (int i = 0; i < connections; i++) {
                    try (Flow flow = connectWhenListening(stack, 7001)) {
                        flow.write(Unpooled.copiedBuffer("hi " + i, US_ASCII));
                        ByteBuf answer = flow.read();
                        try {
                            assertThat(answer.toString(US_ASCII)).isEqualTo("hi " + i);
                        } finally {
                            answer.release();
                        }
                    }
                    assertThat(stack.tcpStats().timeWait()).isLessThanOrEqualTo(limit);
                }
                assertThat(linux.await(TIMEOUT).stdout().strip()).isEqualTo("ok");
            }
            assertThat(stack.tcpStats().connections()).isLessThanOrEqualTo(limit);
            System.out.printf("DirectTcpNamespaceTest: %d + %d sequential connections; %s%n", connections, connections,
                    stack.tcpStats());
        });
    }

    /** nftables in the namespace drops {@code percent} of the TCP segments Linux sends (its data and its ACKs). */
    private static void dropFromLinux(NetNs ns, int percent) throws IOException {
        ns.exec("nft", "add", "table", "inet", "t");
        ns.exec("nft", "add", "chain", "inet", "t", "c", "{ type filter hook output priority 0; }");
        ns.exec("nft", "add", "rule", "inet", "t", "c", "meta", "l4proto", "tcp", "numgen", "random", "mod", "100", "<",
                String.valueOf(percent), "drop");
    }

    /**
     * Linux sends {@code size} random bytes from a file to a handler on the stack, which hashes them; then the stack
     * sends as many to socat in the namespace, which pipes them to sha256sum.
     */
    private static void bulkBothWays(NetNs ns, DirectStack stack, Path dir, long size, String what) throws Exception {
        Path file = dir.resolve("bulk");
        String fileHash = writeRandomFile(file, size);

        CompletableFuture<String> received = new CompletableFuture<>();
        stack.tcp().listen(5001, flow -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long length = 0;
                for (ByteBuf data; (data = flow.read()) != null; ) {
                    length += data.readableBytes();
                    sha.update(data.nioBuffer());
                    data.release();
                }
                received.complete(length + " " + HexFormat.of().formatHex(sha.digest()));
            } catch (Throwable e) {
                received.completeExceptionally(e);
                throw e;
            }
        });
        long begin = System.nanoTime();
        run(ns, "socat", "-u", "FILE:" + file, "TCP:10.0.0.2:5001");
        assertThat(received.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(size + " " + fileHash);
        double in = size / ((System.nanoTime() - begin) / 1e9) / 1e6;

        try (NetNsProcess sink = ns.start("sh", "-c", "socat -u TCP-LISTEN:5002,reuseaddr - | sha256sum")) {
            begin = System.nanoTime();
            Flow flow = connectWhenListening(stack, 5002);
            String sentHash;
            try (flow) {
                sentHash = sendFile(flow, file);
                flow.shutdownOutput();
                assertThat(flow.read()).isNull(); // socat closes after our FIN: everything arrived
            }
            CommandResult sum = sink.await(TIMEOUT);
            double out = size / ((System.nanoTime() - begin) / 1e9) / 1e6;
            assertThat(sum.stdout().split(" ")[0]).isEqualTo(sentHash).isEqualTo(fileHash);
            System.out.printf("DirectTcpNamespaceTest (%s): %d MiB Linux->stack %.1f MB/s, stack->Linux %.1f MB/s; %s%n",
                    what, size >> 20, in, out, stack.tcpStats());
        }
    }

    /** Connects to a port on Linux's side, retrying while nothing listens there yet. */
    private static Flow connectWhenListening(DirectStack stack, int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return stack.tcp().connect(LINUX_IP, port);
            } catch (java.net.ConnectException e) {
                if (attempt > 50) throw e;
                Thread.sleep(100);
            }
        }
    }

    private static String writeRandomFile(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(size);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, size - written);
                out.write(chunk, 0, n);
                sha.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sendFile(Flow flow, Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[256 * 1024];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                sha.update(chunk, 0, n);
                flow.write(Unpooled.copiedBuffer(chunk, 0, n));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
