package org.mirage4j.net.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.net.unix.Frames.ARP_FRAME_LENGTH;
import static org.mirage4j.net.unix.Frames.ARP_REPLY;
import static org.mirage4j.net.unix.Frames.ARP_REQUEST;
import static org.mirage4j.net.unix.Frames.hex;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.NetNsProcess;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The tap device against the Linux kernel: each test makes a network namespace, attaches a
 * {@link TapNetwork} to a tap inside it (through the {@code netns} key, so nothing is created in
 * the machine's own namespace), and talks to the kernel's ARP and ICMP.
 */
@RequiresNetNs
class TapNetworkNamespaceTest {

    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address LINUX_IP = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address OUR_IP = Ipv4Address.parse("10.0.0.2");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void kernelAnswersAnArpRequestWeSend() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            try {
                assertThat(tap.mac()).isEqualTo(OUR_MAC);
                assertThat(tap.mtu()).isEqualTo(1500);
                MacAddress linuxMac = upLinuxSide(ns, "tap0");
                assertThat(linuxMac).isNotEqualTo(OUR_MAC);
                Receiver rx = Receiver.start(tap);

                byte[] request = Frames.arp(MacAddress.BROADCAST, OUR_MAC, ARP_REQUEST, OUR_MAC, OUR_IP, MacAddress.ZERO, LINUX_IP);
                tap.write(request.length, buf -> buf.writeBytes(request));

                byte[] reply = rx.next(f -> Frames.isArp(f, ARP_REPLY), WAIT);
                assertThat(hex(reply)).isEqualTo(
                        hex(Frames.arp(OUR_MAC, linuxMac, ARP_REPLY, linuxMac, LINUX_IP, OUR_MAC, OUR_IP)));

                tap.disconnect();
                assertThat(rx.awaitEnd(WAIT)).isNull();
                assertThat(tap.stats()).isEqualTo(new NetworkStats(rx.count(), rx.bytes(), 0, 1, ARP_FRAME_LENGTH, 0));
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void kernelFramesArriveAndItAcceptsOurAnswers() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            try {
                MacAddress linuxMac = upLinuxSide(ns, "tap0");
                Receiver rx = Receiver.start(tap);
                NetNsProcess ping = ns.start("ping", "-c", "1", "-W", "10", OUR_IP.toString());

                // The kernel first asks who has our address (RFC 826), by broadcast.
                byte[] whoHas = rx.next(f -> Frames.isArp(f, ARP_REQUEST), WAIT);
                assertThat(hex(whoHas)).isEqualTo(hex(
                        Frames.arp(MacAddress.BROADCAST, linuxMac, ARP_REQUEST, linuxMac, LINUX_IP, MacAddress.ZERO, OUR_IP)));
                byte[] answer = Frames.arp(linuxMac, OUR_MAC, ARP_REPLY, OUR_MAC, OUR_IP, linuxMac, LINUX_IP);
                tap.write(answer.length, buf -> buf.writeBytes(answer));

                // Having learnt our MAC address from the answer, it sends the echo request to it.
                byte[] echo = rx.next(f -> Frames.isIcmp(f, 8), WAIT);
                assertThat(hex(echo)).startsWith(hex(OUR_MAC.octets()) + hex(linuxMac.octets()) + "0800");
                assertThat(Ipv4Address.parse(ipAt(echo, 14 + 12))).isEqualTo(LINUX_IP);
                assertThat(Ipv4Address.parse(ipAt(echo, 14 + 16))).isEqualTo(OUR_IP);
                byte[] reply = Frames.echoReply(echo);
                tap.write(reply.length, buf -> buf.writeBytes(reply));

                CommandResult pinged = ping.await(WAIT);
                assertThat(pinged.exitCode()).as(pinged.stdout()).isZero();
                assertThat(pinged.stdout()).contains("1 received");
                NetworkStats stats = tap.stats();
                assertThat(stats.txPackets()).isEqualTo(2);
                assertThat(stats.txBytes()).isEqualTo(answer.length + reply.length);
                assertThat(stats.rxPackets()).isGreaterThanOrEqualTo(2).isEqualTo(rx.count());
                assertThat(stats.rxBytes()).isEqualTo(rx.bytes());
                assertThat(stats.rxDropped()).isZero();
                assertThat(stats.txErrors()).isZero();
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void framesLongerThanTheMtuAreRefusedOnSendAndDroppedOnReceive() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            try {
                upLinuxSide(ns, "tap0");
                Receiver rx = Receiver.start(tap);
                AtomicBoolean filled = new AtomicBoolean();
                assertThatThrownBy(() -> tap.write(1515, buf -> filled.set(true)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("1515 bytes").hasMessageContaining("1514");
                assertThat(filled).isFalse();
                assertThat(tap.stats().txPackets()).isZero();
                // A frame of exactly MTU + header is fine (the kernel drops it: it is to nobody).
                tap.write(1514, buf -> buf.writeBytes(new byte[6]).writeBytes(OUR_MAC.octets()).writeZero(1514 - 12));
                assertThat(tap.stats().txPackets()).isEqualTo(1);
                assertThat(tap.stats().txBytes()).isEqualTo(1514);

                // Raise the kernel side's MTU above ours (read at connect) and send a big echo request to our MAC.
                ns.exec("ip", "link", "set", "tap0", "mtu", "4000");
                ns.exec("ip", "neigh", "replace", OUR_IP.toString(), "lladdr", OUR_MAC.toString(), "dev", "tap0", "nud", "permanent");
                ns.run(WAIT, "ping", "-c", "1", "-W", "1", "-s", "3000", OUR_IP.toString());
                awaitDropped(tap, 1);
                // The receive loop goes on: a small one arrives whole.
                ns.run(WAIT, "ping", "-c", "1", "-W", "1", "-s", "100", OUR_IP.toString());
                byte[] small = rx.next(f -> Frames.isIcmp(f, 8), WAIT);
                assertThat(small).hasSize(14 + 20 + 8 + 100);
                assertThat(tap.stats().rxDropped()).isEqualTo(1);
                assertThat(tap.stats().rxPackets()).isEqualTo(rx.count());
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void disconnectEndsAnIdleListenAtOnceAndRemovesTheTapItCreated() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", "", ns.name());
            tap.connect();
            assertThat(linkExists(ns, "tap0")).isTrue();
            Receiver rx = Receiver.start(tap);
            Thread.sleep(300); // let the loop reach poll(2): the interface is down, nothing wakes it but us
            assertThat(rx.isRunning()).isTrue();

            long start = System.nanoTime();
            tap.disconnect();
            assertThat(rx.awaitEnd(Duration.ofSeconds(1))).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(linkExists(ns, "tap0")).isFalse();
            assertThatThrownBy(() -> tap.write(60, buf -> buf.writeZero(60)))
                    .isInstanceOf(IOException.class).hasMessageContaining("disconnected");
        }
    }

    @Test
    void aHandlerMayDisconnect() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            try {
                upLinuxSide(ns, "tap0");
                Thread loop = Thread.ofPlatform().start(() -> {
                    try {
                        tap.listen(frame -> {
                            frame.release();
                            tap.disconnect();
                        });
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                ns.run(WAIT, "ping", "-c", "1", "-W", "1", OUR_IP.toString());
                assertThat(loop.join(WAIT)).isTrue();
                assertThat(tap.stats().rxPackets()).isEqualTo(1);
                assertThat(linkExists(ns, "tap0")).isFalse();
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void reconnectsAndLeavesAPersistentTapInPlace() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            // A tap this device creates: gone on disconnect, made again on connect.
            TapNetwork created = new TapNetwork("tap0", "", ns.name());
            created.connect();
            MacAddress randomMac = created.mac();
            assertThat(randomMac.isLocallyAdministered()).isTrue();
            assertThat(randomMac.isMulticast()).isFalse();
            created.disconnect();
            assertThat(linkExists(ns, "tap0")).isFalse();
            created.connect();
            assertThat(linkExists(ns, "tap0")).isTrue();
            assertThat(created.mac()).isEqualTo(randomMac);
            created.disconnect();

            // A persistent tap, as `ip tuntap add` makes it: attached to again and again, never removed.
            ns.exec("ip", "tuntap", "add", "dev", "tap1", "mode", "tap");
            for (int i = 0; i < 3; i++) {
                TapNetwork persistent = new TapNetwork("tap1", OUR_MAC.toString(), ns.name());
                persistent.connect();
                persistent.disconnect();
                assertThat(linkExists(ns, "tap1")).isTrue();
            }
        }
    }

    @Test
    void aTapInUseIsBusy() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            ns.exec("ip", "tuntap", "add", "dev", "tap1", "mode", "tap");
            TapNetwork first = new TapNetwork("tap1", "", ns.name());
            first.connect();
            try {
                TapNetwork second = new TapNetwork("tap1", "", ns.name());
                assertThatThrownBy(second::connect)
                        .isInstanceOf(DeviceException.class)
                        .hasMessage("Tap interface tap1 is busy: another process is attached to it;"
                                + " stop that process or choose another interface with --interface.");
            } finally {
                first.disconnect();
            }
            TapNetwork third = new TapNetwork("tap1", "", ns.name());
            third.connect();
            third.disconnect();
        }
    }

    /**
     * A process without CAP_NET_ADMIN may neither create a tap nor attach to a tap owned by
     * another user: it is told the command that gives it one. The probe runs in the namespace
     * as root minus that capability, which the kernel checks the same way as for any user.
     */
    @Test
    void aProcessWithoutThePermissionIsToldTheCommand() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            ns.exec("ip", "tuntap", "add", "dev", "tap1", "mode", "tap", "user", "12345");
            for (String name : new String[] {"tap0", "tap1"}) {
                CommandResult probe = ns.run(WAIT, "setpriv", "--bounding-set=-net_admin",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED", "-Duser.name=alice",
                        "-cp", System.getProperty("java.class.path"), AttachProbe.class.getName(), name);
                assertThat(probe.exitCode()).as(probe.stderr()).isZero();
                assertThat(probe.stdout().strip()).isEqualTo("You may not create or attach to tap interface " + name
                        + ": create it for your user with `sudo ip tuntap add dev " + name + " mode tap user alice`"
                        + " and try again, or run as root.");
            }
        }
    }

    @Test
    void refusesAnInterfaceThatIsNotATap() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            ns.exec("ip", "tuntap", "add", "dev", "tun0", "mode", "tun");
            for (String name : new String[] {"tun0", "lo"}) {
                assertThatThrownBy(new TapNetwork(name, "", ns.name())::connect)
                        .isInstanceOf(DeviceException.class)
                        .hasMessage("Interface " + name + " exists but is not a single-queue tap device:"
                                + " choose another name with --interface.");
            }
        }
    }

    @Test
    void listenFailsWithAClearMessageWhenTheTapIsDeleted() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            ns.exec("ip", "tuntap", "add", "dev", "tap1", "mode", "tap");
            TapNetwork tap = new TapNetwork("tap1", "", ns.name());
            tap.connect();
            try {
                Receiver rx = Receiver.start(tap);
                ns.exec("ip", "link", "delete", "tap1");
                assertThat(rx.awaitEnd(WAIT)).isInstanceOf(IOException.class)
                        .hasMessage("Tap interface tap1 was deleted while attached:"
                                + " recreate it (or let the device create it) and connect again.");
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void aFrameSentWhileTheKernelSideIsDownIsCountedAsAnError() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", OUR_MAC.toString(), ns.name());
            tap.connect();
            try {
                byte[] request = Frames.arp(MacAddress.BROADCAST, OUR_MAC, ARP_REQUEST, OUR_MAC, OUR_IP, MacAddress.ZERO, LINUX_IP);
                tap.write(request.length, buf -> buf.writeBytes(request));
                assertThat(tap.stats()).isEqualTo(new NetworkStats(0, 0, 0, 0, 0, 1));
            } finally {
                tap.disconnect();
            }
        }
    }

    @Test
    void onlyOneThreadListens() throws Exception {
        try (NetNs ns = NetNs.create("tap")) {
            TapNetwork tap = new TapNetwork("tap0", "", ns.name());
            tap.connect();
            try {
                Receiver rx = Receiver.start(tap);
                Thread.sleep(200);
                assertThatThrownBy(() -> tap.listen(frame -> frame.release()))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already being listened to");
                tap.disconnect();
                assertThat(rx.awaitEnd(WAIT)).isNull();
            } finally {
                tap.disconnect();
            }
        }
    }

    /** Gives the kernel side of the tap 10.0.0.1/24, without IPv6 chatter, brings it up, and returns its MAC. */
    private static MacAddress upLinuxSide(NetNs ns, String tap) throws IOException {
        String ipv6 = "/proc/sys/net/ipv6/conf/" + tap + "/disable_ipv6";
        ns.exec("sh", "-c", "[ ! -e " + ipv6 + " ] || echo 1 > " + ipv6);
        ns.exec("ip", "addr", "add", LINUX_IP + "/24", "dev", tap);
        ns.exec("ip", "link", "set", tap, "up");
        return MacAddress.parse(ns.exec("cat", "/sys/class/net/" + tap + "/address").strip());
    }

    private static boolean linkExists(NetNs ns, String name) throws IOException {
        return ns.run(WAIT, "ip", "link", "show", name).exitCode() == 0;
    }

    private static void awaitDropped(TapNetwork tap, long count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tap.stats().rxDropped() < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("Dropped " + tap.stats() + " within " + WAIT);
            Thread.sleep(10);
        }
    }

    private static String ipAt(byte[] frame, int offset) {
        return (frame[offset] & 0xFF) + "." + (frame[offset + 1] & 0xFF) + "." + (frame[offset + 2] & 0xFF) + "."
                + (frame[offset + 3] & 0xFF);
    }
}
