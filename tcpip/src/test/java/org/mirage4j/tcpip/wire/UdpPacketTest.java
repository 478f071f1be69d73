package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class UdpPacketTest {

    // Fixtures made with scapy 2.5 (Debian python3-scapy) as bytes(...).hex() of the expression quoted.

    /** The UDP part of {@code IP(src="10.0.0.2", dst="10.0.0.1")/UDP(sport=12345, dport=53)/b"hello, world"}. */
    static final String DATAGRAM = "3039003500147b09" + "68656c6c6f2c20776f726c64";
    static final String DATA = "68656c6c6f2c20776f726c64";

    /** Sent without a checksum: {@code UDP(sport=68, dport=67, chksum=0)/b"hi"}. */
    static final String WITHOUT_CHECKSUM = "00440043000a0000" + "6869";

    private static final Ipv4Address SOURCE = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Address DESTINATION = Ipv4Address.parse("10.0.0.1");
    private static final UdpRepr REPR = new UdpRepr(12345, 53);

    private final UdpPacket packet = new UdpPacket();

    @Test
    void deconstruct() {
        ByteBuf buf = fromHex(DATAGRAM);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.sourcePort()).isEqualTo(12345);
            assertThat(packet.destinationPort()).isEqualTo(53);
            assertThat(packet.length()).isEqualTo(20);
            assertThat(packet.checksum()).isEqualTo(0x7b09);
            assertThat(packet.checksumValid(SOURCE, DESTINATION)).isTrue();
            assertThat(packet.payloadIndex()).isEqualTo(8);
            assertThat(packet.payloadLength()).isEqualTo(12);
            assertThat(hex(packet.payload())).isEqualTo(DATA);
            assertThat(UdpRepr.parse(packet, SOURCE, DESTINATION)).isEqualTo(Parsed.ok(REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void construct() {
        ByteBuf payload = fromHex(DATA);
        ByteBuf out = TestBuffers.empty();
        try {
            REPR.emit(out, SOURCE, DESTINATION, payload);
            assertThat(hex(out)).isEqualTo(DATAGRAM);
            assertThat(REPR.bufferLength(12)).isEqualTo(out.readableBytes());
            assertThat(payload.readerIndex()).as("the payload's indexes do not move").isZero();
        } finally {
            out.release();
            payload.release();
        }
    }

    /** The pseudo-header is part of the sum: the same octets between other addresses do not verify. */
    @Test
    void checksumCoversTheAddresses() {
        ByteBuf buf = fromHex(DATAGRAM);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(UdpRepr.parse(packet, DESTINATION, SOURCE)).isEqualTo(Parsed.ok(REPR)); // the sum commutes
            assertThat(UdpRepr.parse(packet, SOURCE, Ipv4Address.parse("10.0.0.3")))
                    .isEqualTo(Parsed.rejected(Malformed.BAD_CHECKSUM));
        } finally {
            buf.release();
        }
    }

    /** RFC 768: a zero checksum means the sender computed none, so any addresses are accepted. */
    @Test
    void zeroChecksumIsNotVerified() {
        ByteBuf buf = fromHex(WITHOUT_CHECKSUM);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(UdpRepr.parse(packet, SOURCE, DESTINATION)).isEqualTo(Parsed.ok(new UdpRepr(68, 67)));
        } finally {
            buf.release();
        }
    }

    /** RFC 768: a checksum that computes to zero is sent as all ones. */
    @Test
    void computedZeroIsSentAsAllOnes() {
        // Choose the last data word so that the ones' complement sum of everything is ffff, i.e. checksum zero.
        ByteBuf payload = fromHex("0000");
        ByteBuf out = TestBuffers.empty();
        try {
            long sum = InternetChecksum.pseudoHeader(SOURCE, DESTINATION, IpProtocol.UDP, 10)
                    + 12345 + 53 + 10;
            payload.setShort(0, 0xFFFF - InternetChecksum.fold(sum));
            REPR.emit(out, SOURCE, DESTINATION, payload);
            assertThat(out.getUnsignedShort(6)).isEqualTo(0xFFFF);
            assertThat(packet.wrap(out)).isNull();
            assertThat(UdpRepr.parse(packet, SOURCE, DESTINATION)).isEqualTo(Parsed.ok(REPR));
        } finally {
            out.release();
            payload.release();
        }
    }

    @Test
    void everyShorterPrefixIsTruncated() {
        ByteBuf buf = fromHex(DATAGRAM);
        try {
            for (int length = 0; length < buf.readableBytes(); length++) {
                assertThat(packet.wrap(buf, 0, length)).as("prefix of %d octets", length)
                        .isEqualTo(Malformed.TRUNCATED);
            }
        } finally {
            buf.release();
        }
    }

    /** The length field says where the datagram ends, even when the IPv4 payload goes on. */
    @Test
    void lengthFieldWinsOverALongerRegion() {
        ByteBuf buf = fromHex(DATAGRAM + "ffffffff");
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(hex(packet.payload())).isEqualTo(DATA);
            assertThat(UdpRepr.parse(packet, SOURCE, DESTINATION)).isEqualTo(Parsed.ok(REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void lengthBelowTheHeaderIsMalformed() {
        ByteBuf buf = fromHex("303900350007" + DATAGRAM.substring(12));
        try {
            assertThat(packet.wrap(buf)).isEqualTo(Malformed.BAD_LENGTH);
        } finally {
            buf.release();
        }
    }

    /** The stack's path: an IPv4 packet with options, its payload bound to a UDP view without a copy. */
    @Test
    void insideAnIpv4PacketWithOptions() {
        ByteBuf buf = fromHex(Ipv4PacketTest.WITH_OPTIONS);
        try {
            Ipv4Packet ip = new Ipv4Packet();
            assertThat(ip.wrap(buf)).isNull();
            assertThat(packet.wrap(ip.buffer(), ip.payloadIndex(), ip.payloadLength())).isNull();
            assertThat(UdpRepr.parse(packet, ip.source(), ip.destination()))
                    .isEqualTo(Parsed.ok(new UdpRepr(5353, 5353)));
            assertThat(packet.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("mdns");
        } finally {
            buf.release();
        }
    }

    @Test
    void payloadTooLongForAnIpv4PacketIsAProgrammingError() {
        ByteBuf payload = TestBuffers.empty().writeZero(UdpRepr.MAX_PAYLOAD_LENGTH + 1);
        ByteBuf out = TestBuffers.empty();
        try {
            assertThatThrownBy(() -> REPR.emit(out, SOURCE, DESTINATION, payload))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 65507");
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
            payload.release();
        }
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        UdpRepr repr = WireGen.udpRepr(gen);
        Ipv4Address source = WireGen.ipv4Address(gen);
        Ipv4Address destination = WireGen.ipv4Address(gen);
        ByteBuf payload = gen.byteBuf(0, 1500);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out, source, destination, payload);
            assertThat(packet.wrap(out)).isNull();
            assertThat(packet.checksum()).as("an emitted datagram always has a checksum").isNotZero();
            assertThat(UdpRepr.parse(packet, source, destination)).isEqualTo(Parsed.ok(repr));
            assertThat(packet.payload()).isEqualTo(payload);
        } finally {
            out.release();
            payload.release();
        }
    }
}
