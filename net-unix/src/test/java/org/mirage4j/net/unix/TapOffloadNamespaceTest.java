package org.mirage4j.net.unix;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.net.unix.OffloadFrames.ACK;
import static org.mirage4j.net.unix.OffloadFrames.FIN;
import static org.mirage4j.net.unix.OffloadFrames.PSH;
import static org.mirage4j.net.unix.OffloadFrames.SYN;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.NetNsProcess;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The tap device's offloads against the Linux kernel, each test in a network namespace of its own: the kernel takes
 * a 64 KiB TCP segment from us and cuts it for its socket, hands us its own TCP data in reads above the MTU, and
 * accepts a frame whose checksum we left partial while it drops one whose checksum is wrong. The TCP and UDP frames
 * are built by hand (see {@link OffloadFrames}); Linux's side is a small Python socket program.
 */
@RequiresNetNs
@RequiresCommands("python3")
class TapOffloadNamespaceTest {

    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address LINUX_IP = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address OUR_IP = Ipv4Address.parse("10.0.0.2");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int OUR_PORT = 40_000;

    private interface Body {
        void run(NetNs ns, TapNetwork tap, MacAddress linuxMac, BlockingQueue<byte[]> received) throws Exception;
    }

    /**
     * Attaches a tap in a fresh namespace, turns every offload on, brings Linux's side up (10.0.0.1, with our MAC
     * address for 10.0.0.2 set, so that it never asks by ARP) and receives frames, their header in front.
     */
    private static void withOffloadingTap(Body body) throws Exception {
        try (NetNs ns = NetNs.create("tso")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            try {
                Offloads on = tap.enableOffloads(Offloads.ALL);
                assertThat(on).isEqualTo(Offloads.ALL);
                String ipv6 = "/proc/sys/net/ipv6/conf/tap0/disable_ipv6";
                ns.exec("sh", "-c", "[ ! -e " + ipv6 + " ] || echo 1 > " + ipv6);
                ns.exec("ip", "addr", "add", LINUX_IP + "/24", "dev", "tap0");
                ns.exec("ip", "link", "set", "tap0", "up");
                ns.exec("ip", "neigh", "replace", OUR_IP.toString(), "lladdr", OUR_MAC.toString(), "dev", "tap0",
                        "nud", "permanent");
                MacAddress linuxMac = MacAddress.parse(ns.exec("cat", "/sys/class/net/tap0/address").strip());
                BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
                Thread loop = Thread.ofPlatform().daemon().name("test receive loop").start(() -> {
                    try {
                        tap.listen(frame -> {
                            try {
                                // The header in front, then the frame.
                                received.add(ByteBufUtil.getBytes(frame, frame.readerIndex() - VirtioNetHeader.LENGTH,
                                        VirtioNetHeader.LENGTH + frame.readableBytes()));
                            } finally {
                                frame.release();
                            }
                        });
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                body.run(ns, tap, linuxMac, received);
                tap.disconnect();
                assertThat(loop.join(WAIT)).isTrue();
                assertThat(tap.stats().rxDropped()).isZero();
                assertThat(tap.stats().txErrors()).isZero();
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void aTcpSegmentOf64KBArrivesAtALinuxSocketAsCorrectData() throws Exception {
        byte[] data = new byte[64_000]; // within the 64 240 octets Linux's SYN-ACK offers
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >> 9));
        withOffloadingTap((ns, tap, linuxMac, received) -> {
            NetNsProcess server = ns.start("python3", "-c", String.join("\n",
                    "import hashlib, socket",
                    "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                    "s.bind(('" + LINUX_IP + "', 5001)); s.listen(1); print('listening', flush=True)",
                    "c, _ = s.accept(); h = hashlib.sha256(); n = 0",
                    "while True:",
                    "    b = c.recv(1 << 20)",
                    "    if not b: break",
                    "    h.update(b); n += len(b)",
                    "print(n, h.hexdigest(), flush=True)"));
            awaitOutput(server, "listening");
            int seq = 1000;
            int linuxSeq = handshake(tap, linuxMac, received, seq, 5001);

            // One frame of 64 054 octets: the kernel cuts it into segments of 1448, finishing every checksum.
            byte[] segment = OffloadFrames.tcp(linuxMac, OUR_MAC, OUR_IP, LINUX_IP, OUR_PORT, 5001, seq + 1, linuxSeq + 1,
                    ACK | PSH, data, true);
            tap.write(segment.length, buf -> {
                buf.writeBytes(segment);
                VirtioNetHeader.requestChecksum(buf, OffloadFrames.TRANSPORT, 16);
                VirtioNetHeader.requestSegmentation(buf, VirtioNetHeader.GSO_TCPV4, OffloadFrames.TRANSPORT + 20, 1448);
            });
            byte[] fin = OffloadFrames.tcp(linuxMac, OUR_MAC, OUR_IP, LINUX_IP, OUR_PORT, 5001, seq + 1 + data.length,
                    linuxSeq + 1, ACK | FIN, new byte[0], false);
            tap.write(fin.length, buf -> buf.writeBytes(fin));

            CommandResult result = server.await(WAIT);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains(data.length + " " + sha256(data));
            // The SYN (58 octets) and ACK (54) of the handshake, the segment and the FIN; headers in front not counted.
            assertThat(tap.stats().txPackets()).isEqualTo(4);
            assertThat(tap.stats().txBytes()).isEqualTo(58 + 54 + segment.length + fin.length);
        });
    }

    @Test
    void linuxBulkDataArrivesInReadsAboveTheMtu() throws Exception {
        withOffloadingTap((ns, tap, linuxMac, received) -> {
            NetNsProcess server = ns.start("python3", "-c", String.join("\n",
                    "import socket",
                    "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                    "s.bind(('" + LINUX_IP + "', 5002)); s.listen(1); print('listening', flush=True)",
                    "c, _ = s.accept(); c.sendall(bytes(200000)); print('sent', flush=True)",
                    "import time; time.sleep(30)"));
            try {
                awaitOutput(server, "listening");
                handshake(tap, linuxMac, received, 5000, 5002);
                // Our window of 65535 lets Linux send its initial window of 10 segments at once, which its TCP builds
                // as one segment for the "device" to cut: we get it whole, the header saying what it is.
                byte[] large = next(received, f -> OffloadFrames.isTcp(frameOf(f)) && frameOf(f).length > 1514);
                ByteBuf header = io.netty.buffer.Unpooled.wrappedBuffer(large).readerIndex(VirtioNetHeader.LENGTH);
                assertThat(VirtioNetHeader.gsoType(header)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
                assertThat(VirtioNetHeader.gsoSize(header)).isEqualTo(1460);
                assertThat(VirtioNetHeader.checksumVouched(header)).isTrue();
                assertThat(tap.stats().rxBytes()).isGreaterThan(1514);
            } finally {
                server.close();
            }
        });
    }

    @Test
    void linuxTakesAPartialChecksumWeLeaveToItAndDropsAWrongOne() throws Exception {
        withOffloadingTap((ns, tap, linuxMac, received) -> {
            NetNsProcess server = ns.start("python3", "-c", String.join("\n",
                    "import socket",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                    "s.bind(('" + LINUX_IP + "', 5003)); print('listening', flush=True)",
                    "print(s.recv(65535).decode(), flush=True)"));
            awaitOutput(server, "listening");
            // First a datagram whose checksum field holds the pseudo-header's sum with no request to finish it: to
            // the kernel that is a wrong checksum, and it drops the datagram.
            byte[] wrong = OffloadFrames.udp(linuxMac, OUR_MAC, OUR_IP, LINUX_IP, OUR_PORT, 5003,
                    "wrong".getBytes(US_ASCII), true);
            tap.write(wrong.length, buf -> buf.writeBytes(wrong));
            // Then the same with NEEDS_CSUM: the kernel finishes the checksum (or trusts it) and delivers it.
            byte[] partial = OffloadFrames.udp(linuxMac, OUR_MAC, OUR_IP, LINUX_IP, OUR_PORT, 5003,
                    "partial".getBytes(US_ASCII), true);
            tap.write(partial.length, buf -> {
                buf.writeBytes(partial);
                VirtioNetHeader.requestChecksum(buf, OffloadFrames.TRANSPORT, 6);
            });
            CommandResult result = server.await(WAIT);
            assertThat(result.stdout().lines().toList()).isEqualTo(List.of("listening", "partial"));
        });
    }

    /** Opens a connection to Linux's {@code port} from our {@code seq}; returns Linux's initial sequence number. */
    private static int handshake(TapNetwork tap, MacAddress linuxMac, BlockingQueue<byte[]> received, int seq, int port)
            throws Exception {
        byte[] syn = OffloadFrames.tcp(linuxMac, OUR_MAC, OUR_IP, LINUX_IP, OUR_PORT, port, seq, 0, SYN, new byte[0], false);
        tap.write(syn.length, buf -> buf.writeBytes(syn));
        byte[] synAck = frameOf(next(received, f -> OffloadFrames.isTcp(frameOf(f))
                && OffloadFrames.tcpFlags(frameOf(f)) == (SYN | ACK)));
        int linuxSeq = OffloadFrames.seq(synAck);
        byte[] ack = OffloadFrames.tcp(linuxMac, OUR_MAC, OUR_IP, LINUX_IP, OUR_PORT, port, seq + 1, linuxSeq + 1, ACK,
                new byte[0], false);
        tap.write(ack.length, buf -> buf.writeBytes(ack));
        return linuxSeq;
    }

    private static byte[] frameOf(byte[] withHeader) {
        return java.util.Arrays.copyOfRange(withHeader, VirtioNetHeader.LENGTH, withHeader.length);
    }

    private static byte[] next(BlockingQueue<byte[]> received, Predicate<byte[]> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            byte[] frame = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null) throw new AssertionError("No expected frame within " + WAIT);
            if (wanted.test(frame)) return frame;
        }
    }

    private static void awaitOutput(NetNsProcess process, String line) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!process.outputSoFar().contains(line)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("No '" + line + "' from " + process + ": " + process.outputSoFar());
            }
            Thread.sleep(20);
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
