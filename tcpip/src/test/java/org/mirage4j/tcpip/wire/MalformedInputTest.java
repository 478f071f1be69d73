package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * Arbitrary and damaged input never throws out of {@code wrap} or {@code parse}, and after a successful
 * {@code wrap} no accessor throws. Frames are decoded the way the stack will: Ethernet, then ARP or IPv4, then
 * ICMP or UDP, each view bound to the region of the one above without a copy.
 */
class MalformedInputTest {

    private static final String TO_US = "020000000002" + "525400123456";

    /**
     * Whole frames built from the other tests' scapy fixtures; the IPv4 headers of the two ICMP errors made with
     * scapy 2.5 as {@code IP(src="10.0.0.1", dst="10.0.0.2", id=7, ttl=64)/ICMP(...)}.
     */
    private static final List<String> FRAMES = List.of(
            EthernetFrameTest.FRAME,
            ArpPacketTest.PADDED_REQUEST_FRAME,
            TO_US + "0806" + ArpPacketTest.REPLY,
            TO_US + "0800" + Ipv4PacketTest.UDP,
            TO_US + "0800" + Ipv4PacketTest.FRAGMENT,
            TO_US + "0800" + Ipv4PacketTest.WITH_OPTIONS,
            TO_US + "0800" + "4500004400070000400166b00a0000010a000002" + Icmpv4PacketTest.PORT_UNREACHABLE,
            TO_US + "0800" + "4500003800070000400166bc0a0000010a000002" + Icmpv4PacketTest.TIME_EXCEEDED);

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final Icmpv4Packet icmp = new Icmpv4Packet();
    private final UdpPacket udp = new UdpPacket();

    @Property(tries = 1000)
    void damagedFramesNeverThrow(Gen gen) {
        ByteBuf frame = TestBuffers.of(gen.mutate(TestBuffers.bytes(gen.oneOf(FRAMES))));
        try {
            // Half the time, put right the checksums the damage broke, so that parsing gets past them.
            boolean repairChecksums = gen.bool();
            assertThatCode(() -> decodeFrame(frame, repairChecksums)).doesNotThrowAnyException();
        } finally {
            frame.release();
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesAsEveryFormatNeverThrow(Gen gen) {
        ByteBuf buf = gen.byteBuf(0, 80);
        try {
            assertThatCode(() -> {
                decodeFrame(buf, false);
                decodeArp(buf, 0, buf.readableBytes());
                decodeIpv4(buf, 0, buf.readableBytes(), gen.bool());
                decodeIcmp(buf, 0, buf.readableBytes(), false);
                decodeUdp(buf, 0, buf.readableBytes(), WireGen.ipv4Address(gen), WireGen.ipv4Address(gen));
            }).doesNotThrowAnyException();
        } finally {
            buf.release();
        }
    }

    @Property
    void everyPrefixOfEveryFrameNeverThrows(Gen gen) {
        ByteBuf frame = TestBuffers.fromHex(gen.oneOf(FRAMES));
        try {
            int length = gen.intBetween(0, frame.readableBytes());
            assertThatCode(() -> decodeFrame(frame.slice(0, length), false)).doesNotThrowAnyException();
        } finally {
            frame.release();
        }
    }

    private void decodeFrame(ByteBuf buf, boolean repairChecksums) {
        if (ethernet.wrap(buf) != null) return;
        ethernet.destination();
        ethernet.source();
        ethernet.payload();
        if (EthernetRepr.parse(ethernet) instanceof Parsed.Ok<EthernetRepr>(EthernetRepr repr)) {
            assertReparses(repr, EthernetRepr::emit, out -> {
                EthernetFrame again = new EthernetFrame();
                assertThat(again.wrap(out)).isNull();
                return EthernetRepr.parse(again);
            });
        }
        ByteBuf frame = ethernet.buffer();
        int index = ethernet.payloadIndex();
        int length = ethernet.payloadLength();
        if (ethernet.etherType() == EtherType.ARP.value()) decodeArp(frame, index, length);
        if (ethernet.etherType() == EtherType.IPV4.value()) decodeIpv4(frame, index, length, repairChecksums);
    }

    private void decodeArp(ByteBuf buf, int index, int length) {
        if (arp.wrap(buf, index, length) != null) return;
        arp.hardwareType();
        arp.protocolType();
        arp.hardwareLength();
        arp.protocolLength();
        arp.operation();
        arp.senderMac();
        arp.senderIp();
        arp.targetMac();
        arp.targetIp();
        if (ArpRepr.parse(arp) instanceof Parsed.Ok<ArpRepr>(ArpRepr repr)) {
            assertReparses(repr, ArpRepr::emit, out -> {
                ArpPacket again = new ArpPacket();
                assertThat(again.wrap(out)).isNull();
                return ArpRepr.parse(again);
            });
        }
    }

    private void decodeIpv4(ByteBuf buf, int index, int length, boolean repairChecksums) {
        if (ipv4.wrap(buf, index, length) != null) return;
        if (repairChecksums) {
            buf.setShort(index + 10, 0);
            buf.setShort(index + 10, InternetChecksum.compute(buf, index, ipv4.headerLength()));
        }
        ipv4.version();
        ipv4.dscp();
        ipv4.ecn();
        ipv4.identification();
        ipv4.dontFragment();
        ipv4.moreFragments();
        ipv4.fragmentOffset();
        ipv4.ttl();
        ipv4.checksum();
        ipv4.checksumValid();
        ipv4.payload();
        if (Ipv4Repr.parse(ipv4) instanceof Parsed.Ok<Ipv4Repr>(Ipv4Repr repr)) {
            assertReparses(repr, (r, out) -> {
                r.emit(out);
                out.writeZero(r.payloadLength());
            }, out -> {
                Ipv4Packet again = new Ipv4Packet();
                assertThat(again.wrap(out)).isNull();
                return Ipv4Repr.parse(again);
            });
        }
        var source = ipv4.source();
        var destination = ipv4.destination();
        int payloadIndex = ipv4.payloadIndex();
        int payloadLength = ipv4.payloadLength();
        if (ipv4.protocol() == IpProtocol.ICMP.value()) {
            decodeIcmp(buf, payloadIndex, payloadLength, repairChecksums);
        }
        if (ipv4.protocol() == IpProtocol.UDP.value()) {
            decodeUdp(buf, payloadIndex, payloadLength, source, destination);
        }
    }

    private void decodeIcmp(ByteBuf buf, int index, int length, boolean repairChecksum) {
        if (icmp.wrap(buf, index, length) != null) return;
        if (repairChecksum) {
            buf.setShort(index + 2, 0);
            buf.setShort(index + 2, InternetChecksum.compute(buf, index, length));
        }
        icmp.type();
        icmp.code();
        icmp.checksum();
        icmp.restOfHeader();
        icmp.identifier();
        icmp.sequenceNumber();
        icmp.nextHopMtu();
        icmp.data();
        if (Icmpv4Repr.parse(icmp) instanceof Parsed.Ok<Icmpv4Repr>(Icmpv4Repr repr)) {
            assertReparses(repr, Icmpv4Repr::emit, out -> {
                Icmpv4Packet again = new Icmpv4Packet();
                assertThat(again.wrap(out)).isNull();
                return Icmpv4Repr.parse(again);
            });
        }
    }

    private void decodeUdp(ByteBuf buf, int index, int length, Ipv4Address source, Ipv4Address destination) {
        if (udp.wrap(buf, index, length) != null) return;
        udp.sourcePort();
        udp.destinationPort();
        udp.length();
        udp.checksum();
        udp.payload();
        if (UdpRepr.parse(udp, source, destination) instanceof Parsed.Ok<UdpRepr>(UdpRepr repr)) {
            ByteBuf payload = udp.payload();
            assertReparses(repr, (r, out) -> r.emit(out, source, destination, payload), out -> {
                UdpPacket again = new UdpPacket();
                assertThat(again.wrap(out)).isNull();
                return UdpRepr.parse(again, source, destination);
            });
        }
    }

    /** Whatever was accepted, emitted again, parses to the same meaning. */
    private static <T> void assertReparses(T repr, BiConsumer<T, ByteBuf> emit, Function<ByteBuf, Parsed<T>> parse) {
        ByteBuf out = TestBuffers.empty();
        try {
            emit.accept(repr, out);
            assertThat(parse.apply(out)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }
}
