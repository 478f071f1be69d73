package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.UnreachableCode;

/**
 * The link, IPv4, ICMP, UDP and ARP input classes of issue 9 (after Ripple20, AMNESIA:33 and NAME:WRECK), one test
 * each, sent through a direct stack's receive path: each frame is dropped and counted under the reason a user
 * would look for in {@link DirectStats}, nothing is sent in answer to garbage, no exception escapes
 * ({@link DropReason#INTERNAL_ERROR} stays 0), and the stack still answers a ping afterwards.
 */
class HostileFramesTest {

    private StackFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new StackFixture().connectAndMeetPeer();
        f.stack.udp().listen(7, d -> d.payload().release());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static byte[] echoRequest(int id, int sequence, int dataLength) {
        return Frames.icmp(new Icmpv4Repr.EchoRequest(id, sequence, Octets.of(new byte[dataLength])));
    }

    /** An IPv4 packet from the peer to us, header checksum right, to be damaged by the test. */
    private static byte[] packet(IpProtocol protocol, byte[] payload, int id) {
        return Frames.ipv4(Frames.header(PEER_IP, OUR_IP, protocol, payload.length, id), payload);
    }

    private void receiveIpv4(byte[] packet) {
        f.receive(Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV4, packet));
    }

    private void receiveFragment(int id, int offset, byte[] data, boolean more) {
        f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.fragment(PEER_IP, OUR_IP, IpProtocol.ICMP, id, offset, data.length, more), data));
    }

    private DirectStats stats() {
        return f.stack.stats();
    }

    /** What a user notices: nothing escaped, and the stack still answers a ping. */
    private void assertStillAnswersPing() {
        assertThat(stats().stack().dropped(DropReason.INTERNAL_ERROR)).as("frames whose handling threw").isZero();
        f.sentAll();
        byte[] ping = echoRequest(0x4242, 1, 16);
        receiveIpv4(packet(IpProtocol.ICMP, ping, 4242));
        assertThat(f.sent().icmp()).isEqualTo(new Icmpv4Repr.EchoReply(0x4242, 1, Octets.of(new byte[16])));
    }

    @Test
    void truncatedHeadersAtEveryLengthAreDroppedAsTruncated() {
        byte[] frame = Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV4, packet(IpProtocol.ICMP, echoRequest(1, 1, 8), 1));
        for (int length = 0; length < frame.length; length++) f.receive(Arrays.copyOf(frame, length));
        for (int udpLength = 0; udpLength < 8; udpLength++) {
            byte[] ip = packet(IpProtocol.UDP, Arrays.copyOf(Frames.udp(PEER_IP, OUR_IP, 1, 7, new byte[0]), udpLength), 3);
            receiveIpv4(ip);
        }
        f.assertNothingSent();
        assertThat(stats().ethernet().dropped(DropReason.TRUNCATED)).as("shorter than an Ethernet header").isEqualTo(14);
        assertThat(stats().ipv4().dropped(DropReason.TRUNCATED)).as("shorter than the IPv4 header or total length")
                .isEqualTo(frame.length - 14);
        assertThat(stats().udp().dropped(DropReason.TRUNCATED)).as("shorter than a UDP header").isEqualTo(8);
        assertStillAnswersPing();
    }

    @Test
    void aHeaderLengthBelowFiveWordsIsDropped() {
        byte[] good = packet(IpProtocol.ICMP, echoRequest(1, 1, 8), 1);
        for (int ihl = 0; ihl < 5; ihl++) {
            byte[] bad = good.clone();
            bad[0] = (byte) (0x40 | ihl);
            DirectIpv4Test.fixHeaderChecksum(bad);
            receiveIpv4(bad);
        }
        byte[] pastTotal = good.clone(); // 60 octets of header in a 36-octet packet
        pastTotal[0] = 0x4F;
        receiveIpv4(pastTotal);
        f.assertNothingSent();
        assertThat(stats().ipv4().dropped(DropReason.BAD_HEADER_LENGTH)).isEqualTo(5);
        assertThat(stats().ipv4().dropped(DropReason.BAD_LENGTH)).as("a header longer than the packet").isEqualTo(1);
        assertStillAnswersPing();
    }

    @Test
    void aTotalLengthPastTheFrameIsTruncatedAndOneShorterIsPadding() {
        byte[] good = packet(IpProtocol.ICMP, echoRequest(7, 7, 8), 1);
        for (int total : new int[] {good.length + 1, 1500, 0xFFFF}) {
            byte[] bad = good.clone();
            bad[2] = (byte) (total >>> 8);
            bad[3] = (byte) total;
            DirectIpv4Test.fixHeaderChecksum(bad);
            receiveIpv4(bad);
        }
        byte[] belowHeader = good.clone();
        belowHeader[2] = 0;
        belowHeader[3] = 10;
        DirectIpv4Test.fixHeaderChecksum(belowHeader);
        receiveIpv4(belowHeader);
        f.assertNothingSent();
        assertThat(stats().ipv4().dropped(DropReason.TRUNCATED)).isEqualTo(3);
        assertThat(stats().ipv4().dropped(DropReason.BAD_LENGTH)).isEqualTo(1);

        // Trailing octets after the total length are Ethernet padding: the ping is answered, without them.
        byte[] padded = Arrays.copyOf(good, good.length + 30);
        Arrays.fill(padded, good.length, padded.length, (byte) 0xEE);
        receiveIpv4(padded);
        assertThat(f.sent().icmp()).isEqualTo(new Icmpv4Repr.EchoReply(7, 7, Octets.of(new byte[8])));
        assertStillAnswersPing();
    }

    @Test
    void lengthMismatchesBetweenIpv4AndUdpAreDropped() {
        byte[] datagram = Frames.udp(PEER_IP, OUR_IP, 1000, 7, new byte[12]);
        byte[] longer = datagram.clone(); // UDP claims more than the IPv4 payload holds
        longer[4] = 0;
        longer[5] = (byte) (datagram.length + 1);
        byte[] underHeader = datagram.clone(); // UDP length below its own header
        underHeader[4] = 0;
        underHeader[5] = 4;
        byte[] huge = datagram.clone();
        huge[4] = (byte) 0xFF;
        huge[5] = (byte) 0xFF;
        for (byte[] bad : List.of(longer, underHeader, huge)) receiveIpv4(packet(IpProtocol.UDP, bad, 5));
        f.assertNothingSent();
        assertThat(stats().udp().dropped(DropReason.TRUNCATED)).isEqualTo(2);
        assertThat(stats().udp().dropped(DropReason.BAD_LENGTH)).isEqualTo(1);
        assertThat(stats().udp().received()).isZero();
        assertStillAnswersPing();
    }

    @Test
    void overlappingFragmentsDropTheirDatagramAndDuplicatesAreDroppedAlone() {
        byte[] icmp = echoRequest(3, 3, 40); // 48 octets: fragments at 0, 16, 32
        receiveFragment(10, 0, Arrays.copyOfRange(icmp, 0, 16), true);
        receiveFragment(10, 0, Arrays.copyOfRange(icmp, 0, 16), true); // an exact duplicate
        receiveFragment(10, 32, Arrays.copyOfRange(icmp, 32, 48), false);
        receiveFragment(10, 8, Arrays.copyOfRange(icmp, 8, 24), true); // overlaps the first (teardrop)
        receiveFragment(10, 16, Arrays.copyOfRange(icmp, 16, 32), true); // would have completed it
        f.assertNothingSent();
        assertThat(stats().ipv4().dropped(DropReason.FRAGMENT_DUPLICATE)).isEqualTo(1);
        assertThat(stats().ipv4().dropped(DropReason.FRAGMENT_OVERLAP)).isPositive();
        assertThat(((DirectIpv4) f.stack.ipv4()).reassembling()).isLessThanOrEqualTo(1);
        f.advance(java.time.Duration.ofSeconds(31));
        assertThat(((DirectIpv4) f.stack.ipv4()).reassembling()).isZero();
        assertStillAnswersPing();
    }

    @Test
    void tinyFragmentsAreReassembledWithinBoundsAndAFloodOfThemIsCapped() {
        byte[] icmp = echoRequest(4, 4, 56); // 64 octets in eight 8-octet fragments
        for (int offset = 0; offset < icmp.length; offset += 8) {
            receiveFragment(20, offset, Arrays.copyOfRange(icmp, offset, offset + 8), offset + 8 < icmp.length);
        }
        assertThat(f.sent().icmp()).isEqualTo(new Icmpv4Repr.EchoReply(4, 4, Octets.of(new byte[56])));

        // 8-octet fragments that never complete, 100 datagrams of 10 each: the bounds hold, the oldest go.
        for (int id = 1000; id < 1100; id++) {
            for (int k = 0; k < 10; k++) receiveFragment(id, 8 + 8 * k, new byte[8], true);
        }
        f.assertNothingSent();
        assertThat(((DirectIpv4) f.stack.ipv4()).reassembling()).isLessThanOrEqualTo(64);
        assertThat(stats().ipv4().dropped(DropReason.REASSEMBLY_LIMIT)).isPositive();
        // One datagram of 200 tiny fragments: past the fragments a datagram may have, so it is given up.
        for (int k = 0; k < 200; k++) receiveFragment(5000, 8 + 8 * k, new byte[8], true);
        assertThat(stats().ipv4().dropped(DropReason.REASSEMBLY_LIMIT)).isPositive();
        assertStillAnswersPing();
    }

    @Test
    void fragmentsThatWouldReassemblePast64KibAreDropped() {
        receiveFragment(30, 0, new byte[1480], true);
        byte[] pastTheEnd = Frames.ipv4(Frames.fragment(PEER_IP, OUR_IP, IpProtocol.ICMP, 30, 1480, 8, false), new byte[8]);
        pastTheEnd[6] = 0x1F; // offset 8191 words, 65 528 octets: ends at 65 536 + 20 of header, past what a datagram may be
        pastTheEnd[7] = (byte) 0xFF;
        DirectIpv4Test.fixHeaderChecksum(pastTheEnd);
        receiveIpv4(pastTheEnd);
        byte[] lastButLong = Frames.ipv4(Frames.fragment(PEER_IP, OUR_IP, IpProtocol.ICMP, 31, 0, 1480, false), new byte[1480]);
        lastButLong[6] = 0x1F; // offset 64 800 octets (8100 words) + 1480 octets: past 65 515 too
        lastButLong[7] = (byte) 0xA4;
        DirectIpv4Test.fixHeaderChecksum(lastButLong);
        receiveIpv4(lastButLong);
        f.assertNothingSent();
        assertThat(stats().ipv4().dropped(DropReason.BAD_FRAGMENT)).isEqualTo(2);
        f.advance(java.time.Duration.ofSeconds(31));
        assertThat(((DirectIpv4) f.stack.ipv4()).reassembling()).isZero();
        assertStillAnswersPing();
    }

    @Test
    void icmpErrorsQuotingTruncatedPacketsAreTakenWithoutAnAnswer() {
        byte[] sentByUs = Frames.ipv4(Frames.header(OUR_IP, PEER_IP, IpProtocol.UDP, 8, 99), Frames.udp(OUR_IP, PEER_IP, 7, 9, new byte[0]));
        List<byte[]> quotes = new ArrayList<>();
        quotes.add(new byte[0]);                                 // quotes nothing
        quotes.add(Arrays.copyOf(sentByUs, 10));                // half an IPv4 header
        quotes.add(Arrays.copyOf(sentByUs, 20));                // the header, no transport ports
        byte[] lyingIhl = sentByUs.clone();                      // claims 60 octets of header in 28
        lyingIhl[0] = 0x4F;
        quotes.add(lyingIhl);
        byte[] lyingTotal = sentByUs.clone();                    // claims 65 535 octets
        lyingTotal[2] = (byte) 0xFF;
        lyingTotal[3] = (byte) 0xFF;
        quotes.add(lyingTotal);
        for (byte[] quote : quotes) {
            byte[] error = Frames.icmp(new Icmpv4Repr.DestinationUnreachable(UnreachableCode.PORT_UNREACHABLE, 0, Octets.of(quote)));
            receiveIpv4(packet(IpProtocol.ICMP, error, 6));
        }
        f.assertNothingSent(); // RFC 1122 section 3.2.2: never an ICMP error about an ICMP error
        assertThat(stats().icmp().received() + stats().icmp().totalDropped()).isEqualTo(quotes.size());
        assertStillAnswersPing();
    }

    @Test
    void arpWithOddLengthsIsDropped() {
        byte[] request = Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
        List<byte[]> odd = new ArrayList<>();
        for (int[] lengths : new int[][] {{0, 4}, {255, 4}, {6, 0}, {6, 16}, {16, 255}}) {
            byte[] bad = request.clone();
            bad[4] = (byte) lengths[0]; // hardware address length
            bad[5] = (byte) lengths[1]; // protocol address length
            odd.add(bad);
        }
        byte[] otherOperation = request.clone();
        otherOperation[7] = 9;
        odd.add(otherOperation);
        for (byte[] bad : odd) f.receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP, bad));
        for (int length = 0; length < request.length; length++) {
            f.receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP, Arrays.copyOf(request, length)));
        }
        f.assertNothingSent();
        assertThat(stats().arp().dropped(DropReason.UNSUPPORTED_ARP_FORMAT)).isEqualTo(5);
        assertThat(stats().arp().dropped(DropReason.UNSUPPORTED_ARP_OPERATION)).isEqualTo(1);
        assertThat(stats().arp().dropped(DropReason.TRUNCATED)).isEqualTo(request.length);
        // A well-formed request is still answered, and padding after it (a 60-octet frame) changes nothing.
        f.receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP, Arrays.copyOf(request, 46)));
        assertThat(f.sent().arp().operation()).isEqualTo(ArpOperation.REPLY);
        assertStillAnswersPing();
    }

    @Test
    void aHeaderThatClaimsOptionsItDoesNotHaveIsDropped() {
        Ipv4Repr header = Frames.header(PEER_IP, OUR_IP, IpProtocol.ICMP, 8, 1);
        byte[] bad = Frames.ipv4(header, echoRequest(1, 1, 0));
        bad[0] = 0x46; // 24 octets of header: the echo request's first word is read as an option
        DirectIpv4Test.fixHeaderChecksum(bad);
        receiveIpv4(bad);
        f.assertNothingSent();
        assertThat(stats().totalDropped()).isEqualTo(1);
        assertStillAnswersPing();
    }
}
