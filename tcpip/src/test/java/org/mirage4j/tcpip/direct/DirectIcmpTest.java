package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.UnreachableCode;

/** ICMP through the stack: echo replies, and port unreachables within RFC 1122's rules. */
class DirectIcmpTest {

    private static byte[] echoFrame(Ipv4Address destination, MacAddress destinationMac, int id, byte[] data) {
        byte[] icmp = Frames.icmp(new Icmpv4Repr.EchoRequest(0x1234, 7, Octets.of(data)));
        return Frames.ipv4Frame(PEER_MAC, destinationMac, Frames.header(PEER_IP, destination, IpProtocol.ICMP, icmp.length, id), icmp);
    }

    @Test
    void answersAnEchoRequestWithTheSameIdentifierSequenceAndData() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            byte[] data = "abcdefghijklmnopqrstuvwabcdefghi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            f.receive(echoFrame(OUR_IP, OUR_MAC, 1, data));

            Frames.Sent reply = f.sent();
            assertThat(reply.ethernet()).isEqualTo(new EthernetRepr(OUR_MAC, PEER_MAC, EtherType.IPV4));
            Ipv4Repr ip = reply.ipv4();
            assertThat(ip).isEqualTo(Frames.header(OUR_IP, PEER_IP, IpProtocol.ICMP, 8 + data.length, ip.identification()));
            assertThat(Frames.hex(reply.ipv4Payload()))
                    .isEqualTo(Frames.hex(Frames.icmp(new Icmpv4Repr.EchoReply(0x1234, 7, Octets.of(data)))));
            assertThat(f.stack.stats().icmp().received()).isEqualTo(1);
            assertThat(f.stack.stats().icmp().sent()).isEqualTo(1);
        }
    }

    @Test
    void answersAnEightThousandBytePingInFragmentsBothWays() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            byte[] data = DirectIpv4Test.pattern(8000);
            byte[] icmp = Frames.icmp(new Icmpv4Repr.EchoRequest(1, 1, Octets.of(data)));
            // As Linux sends it: 1480-octet fragments, last one first to make it interesting.
            for (int offset : new int[] {7400, 0, 1480, 2960, 4440, 5920}) {
                int length = Math.min(1480, icmp.length - offset);
                Ipv4Repr header = Frames.fragment(PEER_IP, OUR_IP, IpProtocol.ICMP, 99, offset, length, offset + length < icmp.length);
                f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, header, java.util.Arrays.copyOfRange(icmp, offset, offset + length)));
            }

            List<Frames.Sent> reply = f.sentAll();
            assertThat(reply).extracting(s -> s.ipv4().payloadLength()).containsExactly(1480, 1480, 1480, 1480, 1480, 608);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Frames.Sent s : reply) joined.write(s.ipv4Payload());
            assertThat(Frames.hex(joined.toByteArray())).isEqualTo(Frames.hex(Frames.icmp(new Icmpv4Repr.EchoReply(1, 1, Octets.of(data)))));
        }
    }

    @Test
    void tellsTheSenderOfADatagramToAClosedPortQuotingIt() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            byte[] udp = Frames.udp(PEER_IP, OUR_IP, 40000, 9, new byte[] {1, 2, 3});
            Ipv4Repr header = Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, 5);
            f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, header, udp));

            Frames.Sent error = f.sent();
            assertThat(error.ipv4().destination()).isEqualTo(PEER_IP);
            assertThat(error.icmp()).isEqualTo(new Icmpv4Repr.DestinationUnreachable(UnreachableCode.PORT_UNREACHABLE, 0,
                    Octets.of(Frames.ipv4(header, udp))));
            assertThat(f.stack.stats().udp().dropped(DropReason.NO_LISTENER)).isEqualTo(1);
        }
    }

    @Test
    void sendsNoErrorAboutABroadcastDatagramAndIgnoresBroadcastPings() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            Ipv4Address broadcast = Ipv4Address.parse("10.0.0.255");
            byte[] udp = Frames.udp(PEER_IP, broadcast, 40000, 9, new byte[] {1});
            f.receive(Frames.ipv4Frame(PEER_MAC, MacAddress.BROADCAST, Frames.header(PEER_IP, broadcast, IpProtocol.UDP, udp.length, 5), udp));
            f.receive(echoFrame(broadcast, MacAddress.BROADCAST, 6, new byte[8]));
            f.assertNothingSent();
            assertThat(f.stack.stats().icmp().dropped(DropReason.IGNORED_BROADCAST)).isEqualTo(1);
        }
    }

    @Test
    void errorsAreRateLimited() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            byte[] udp = Frames.udp(PEER_IP, OUR_IP, 40000, 9, new byte[] {1});
            byte[] frame = Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, 5), udp);
            for (int i = 0; i < 50; i++) f.receive(frame);
            assertThat(f.sentAll()).hasSize(DirectIcmp.ERROR_BURST);
            assertThat(f.stack.stats().icmp().dropped(DropReason.RATE_LIMITED)).isEqualTo(50 - DirectIcmp.ERROR_BURST);

            f.clock.advance(Duration.ofMillis(30)); // three more tokens, one per 10 ms
            for (int i = 0; i < 10; i++) f.receive(frame);
            assertThat(f.sentAll()).hasSize(3);
        }
    }

    @Test
    void countsMessagesWithABadChecksum() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            byte[] icmp = Frames.icmp(new Icmpv4Repr.EchoRequest(1, 1, Octets.of(new byte[4])));
            icmp[2] ^= 0x10;
            f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.ICMP, icmp.length, 1), icmp));
            f.assertNothingSent();
            assertThat(f.stack.stats().icmp().dropped(DropReason.BAD_CHECKSUM)).isEqualTo(1);
        }
    }
}
