package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.tcp.TcpCounter;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.testing.TrackedHeapAllocator;

/** IPv4 through the stack: routing, headers, fragmentation on send, and what it refuses to receive. */
class DirectIpv4Test {

    private static ByteBuf bytes(int n) {
        return TrackedHeapAllocator.INSTANCE.heapBuffer(n).writeZero(n);
    }

    /** Recomputes the IPv4 header checksum of {@code packet} in place (a 20-octet header). */
    static void fixHeaderChecksum(byte[] packet) {
        packet[10] = 0;
        packet[11] = 0;
        ByteBuf header = TrackedHeapAllocator.INSTANCE.heapBuffer(20).writeBytes(packet, 0, 20);
        try {
            int sum = org.mirage4j.tcpip.wire.InternetChecksum.compute(header, 0, 20);
            packet[10] = (byte) (sum >>> 8);
            packet[11] = (byte) sum;
        } finally {
            header.release();
        }
    }

    static byte[] pattern(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) data[i] = (byte) (i % 251);
        return data;
    }

    @Test
    void sendsOnTheLinkDirectlyAndOffTheLinkThroughTheGateway() throws Exception {
        Ipv4Address gateway = Ipv4Address.parse("10.0.0.254");
        try (StackFixture f = new StackFixture("10.0.0.254", ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT, 16, 1500).connect()) {
            f.stack.udp().write(5000, Ipv4Address.parse("192.0.2.1"), 7, bytes(1));
            assertThat(f.sent().arp().targetIp()).isEqualTo(gateway);
            f.stack.udp().write(5000, Ipv4Address.parse("10.0.0.9"), 7, bytes(1));
            assertThat(f.sent().arp().targetIp()).isEqualTo(Ipv4Address.parse("10.0.0.9"));
        }
    }

    @Test
    void withoutAGatewayAnAddressOffTheLinkHasNoRoute() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            assertThatThrownBy(() -> f.stack.udp().write(5000, Ipv4Address.parse("192.0.2.1"), 7, bytes(1)))
                    .isInstanceOf(NoRouteToHostException.class)
                    .hasMessage("No route to 192.0.2.1: it is outside 10.0.0.2/24 and no gateway is set; give one with --ipv4-gateway.");
            f.assertNothingSent();
        }
    }

    @Test
    void broadcastsGoToTheBroadcastMacAddressWithoutArp() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            f.stack.udp().write(68, Ipv4Address.BROADCAST, 67, bytes(1));
            f.stack.udp().write(68, Ipv4Address.parse("10.0.0.255"), 67, bytes(1));
            List<Frames.Sent> sent = f.sentAll();
            assertThat(sent).extracting(s -> s.ethernet().destination()).containsExactly(MacAddress.BROADCAST, MacAddress.BROADCAST);
            assertThat(sent).extracting(s -> s.ethernet().etherType()).containsOnly(EtherType.IPV4);
        }
    }

    @Test
    void headersCarryOurAddressTtl64AValidChecksumAndAFreshIdentification() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            f.stack.udp().write(5000, PEER_IP, 7, bytes(10));
            f.stack.udp().write(5000, PEER_IP, 7, bytes(10));
            Ipv4Repr first = f.sent().ipv4(); // parse() checks the header checksum
            Ipv4Repr second = f.sent().ipv4();
            assertThat(first).isEqualTo(new Ipv4Repr(OUR_IP, PEER_IP, IpProtocol.UDP, 18, 64, 0, 0, first.identification(), false, false, 0));
            assertThat(second.identification()).isEqualTo((first.identification() + 1) & 0xFFFF);
        }
    }

    @Test
    void aDatagramLargerThanTheMtuLeavesInFragmentsOfEightOctetMultiples() throws Exception {
        try (StackFixture f = new StackFixture("", ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT, 16, 576).connectAndMeetPeer()) {
            byte[] data = pattern(2000);
            DirectIpv4 ipv4 = (DirectIpv4) f.stack.ipv4();
            ipv4.send(PEER_IP, IpProtocol.UDP, data.length, buf -> buf.writeBytes(data), false, f.clock.elapsedNanos());

            List<Frames.Sent> fragments = f.sentAll();
            // 576 - 20 = 556 octets fit; fragments carry 552 (a multiple of 8), the last the rest.
            assertThat(fragments).extracting(s -> s.ipv4().payloadLength()).containsExactly(552, 552, 552, 344);
            assertThat(fragments).extracting(s -> s.ipv4().fragmentOffset()).containsExactly(0, 552, 1104, 1656);
            assertThat(fragments).extracting(s -> s.ipv4().moreFragments()).containsExactly(true, true, true, false);
            assertThat(fragments).extracting(s -> s.ipv4().identification()).containsOnly(fragments.getFirst().ipv4().identification());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Frames.Sent s : fragments) joined.write(s.ipv4Payload());
            assertThat(joined.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void dontFragmentRefusesADatagramThatDoesNotFit() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            DirectIpv4 ipv4 = (DirectIpv4) f.stack.ipv4();
            assertThatThrownBy(() -> ipv4.send(PEER_IP, IpProtocol.UDP, 1481, buf -> buf.writeZero(1481), true, 0))
                    .isInstanceOf(DatagramTooBigException.class)
                    .hasMessageContaining("at most 1480");
            ipv4.send(PEER_IP, IpProtocol.UDP, 1480, buf -> buf.writeZero(1480), true, 0);
            Ipv4Repr sent = f.sent().ipv4();
            assertThat(sent.dontFragment()).isTrue();
            assertThat(sent.payloadLength()).isEqualTo(1480);
        }
    }

    @Test
    void dropsAndCountsWhatIsNotForUsOrNotValid() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            byte[] udp = Frames.udp(PEER_IP, OUR_IP, 1, 2, new byte[4]);
            Ipv4Repr good = Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, 1);
            byte[] packet = Frames.ipv4(good, udp);

            f.receive(Frames.ipv4Frame(PEER_MAC, MacAddress.parse("02:00:00:00:00:99"), good, udp)); // another MAC
            f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, Ipv4Address.parse("10.0.0.3"), IpProtocol.UDP, udp.length, 1), udp));
            f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(Ipv4Address.parse("10.0.0.255"), OUR_IP, IpProtocol.UDP, udp.length, 1), udp));
            byte[] badChecksum = packet.clone();
            badChecksum[10] ^= 1;
            byte[] version6 = packet.clone();
            version6[0] = 0x65;
            byte[] otherProtocol = packet.clone();
            otherProtocol[9] = 47; // GRE
            fixHeaderChecksum(otherProtocol);
            for (byte[] bad : new byte[][] {badChecksum, version6, otherProtocol, java.util.Arrays.copyOf(packet, 30)}) {
                f.receive(Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV4, bad));
            }
            f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.TCP, 20, 1), new byte[20]));
            f.receive(Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV6, new byte[40]));
            f.receive(Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV4, new byte[0]).clone());
            f.assertNothingSent();

            DirectStats stats = f.stack.stats();
            assertThat(stats.ethernet().dropped(DropReason.NOT_FOR_US)).isEqualTo(1);
            assertThat(stats.ethernet().dropped(DropReason.NO_IPV6)).isEqualTo(1);
            assertThat(stats.ipv4().dropped(DropReason.NOT_FOR_US)).isEqualTo(1);
            assertThat(stats.ipv4().dropped(DropReason.BAD_SOURCE)).isEqualTo(1);
            assertThat(stats.ipv4().dropped(DropReason.BAD_CHECKSUM)).isEqualTo(1);
            assertThat(stats.ipv4().dropped(DropReason.BAD_VERSION)).isEqualTo(1);
            assertThat(stats.ipv4().dropped(DropReason.UNSUPPORTED_PROTOCOL)).isEqualTo(1);
            assertThat(stats.ipv4().dropped(DropReason.TRUNCATED)).isEqualTo(2);
            assertThat(stats.ipv4().dropped(DropReason.NO_LISTENER)).as("TCP goes up to TCP now").isZero();
            var tcp = f.stack.tcpStats(); // an all-zero segment: TCP counts it as damaged and drops it, unanswered
            assertThat(tcp.get(TcpCounter.BAD_CHECKSUM) + tcp.get(TcpCounter.MALFORMED)).as("TCP").isEqualTo(1);
            assertThat(stats.stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
        }
    }

    @Test
    void aFragmentEndingBeyond65535OctetsIsDropped() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            byte[] packet = Frames.ipv4(Frames.fragment(PEER_IP, OUR_IP, IpProtocol.UDP, 9, 65_488, 16, false), new byte[16]);
            packet[6] = 0x1F; // fragment offset 8191, 65 528 octets: 65 528 + 16 > 65 515
            packet[7] = (byte) 0xFF;
            fixHeaderChecksum(packet);
            f.receive(Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV4, packet));
            assertThat(f.stack.stats().ipv4().dropped(DropReason.BAD_FRAGMENT)).isEqualTo(1);
            assertThat(((DirectIpv4) f.stack.ipv4()).reassembling()).isZero();
        }
    }

    @Test
    void takesDatagramsToTheAllHostsGroupButIgnoresPingsToIt() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            java.util.concurrent.BlockingQueue<Ipv4Address> to = new java.util.concurrent.LinkedBlockingQueue<>();
            f.stack.udp().listen(9, d -> {
                to.add((Ipv4Address) d.destination());
                d.payload().release();
            });
            Ipv4Address allHosts = Ipv4Address.parse("224.0.0.1");
            MacAddress allHostsMac = MacAddress.parse("01:00:5e:00:00:01");
            byte[] udp = Frames.udp(PEER_IP, allHosts, 1000, 9, new byte[] {1});
            f.receive(Frames.ipv4Frame(PEER_MAC, allHostsMac, Frames.header(PEER_IP, allHosts, IpProtocol.UDP, udp.length, 1), udp));
            assertThat(to.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(allHosts);

            byte[] echo = Frames.icmp(new org.mirage4j.tcpip.wire.Icmpv4Repr.EchoRequest(1, 1, org.mirage4j.tcpip.wire.Octets.EMPTY));
            f.receive(Frames.ipv4Frame(PEER_MAC, allHostsMac, Frames.header(PEER_IP, allHosts, IpProtocol.ICMP, echo.length, 2), echo));
            // Another group's frame is not for us at all.
            f.receive(Frames.ipv4Frame(PEER_MAC, MacAddress.parse("01:00:5e:00:00:fb"), Frames.header(PEER_IP, allHosts, IpProtocol.UDP, udp.length, 3), udp));
            f.assertNothingSent();
            assertThat(f.stack.stats().icmp().dropped(DropReason.IGNORED_BROADCAST)).isEqualTo(1);
            assertThat(f.stack.stats().ethernet().dropped(DropReason.NOT_FOR_US)).isEqualTo(1);
        }
    }

    @Test
    void fragmentsThatNeverCompleteAreDroppedAfterThirtySeconds() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            Ipv4Repr first = Frames.fragment(PEER_IP, OUR_IP, IpProtocol.UDP, 77, 0, 16, true);
            f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, first, new byte[16]));
            DirectIpv4 ipv4 = (DirectIpv4) f.stack.ipv4();
            assertThat(ipv4.reassembling()).isEqualTo(1);
            f.advance(Duration.ofSeconds(29));
            assertThat(ipv4.reassembling()).isEqualTo(1);
            f.advance(Duration.ofSeconds(1));
            assertThat(ipv4.reassembling()).isZero();
            assertThat(f.stack.stats().ipv4().dropped(DropReason.REASSEMBLY_TIMEOUT)).isEqualTo(1);
        }
    }
}
