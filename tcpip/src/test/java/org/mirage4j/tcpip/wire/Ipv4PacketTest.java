package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class Ipv4PacketTest {

    // Fixtures made with scapy 2.5 (Debian python3-scapy) as bytes(...).hex() of the expression quoted.

    /** {@code IP(src="10.0.0.1", dst="10.0.0.2", id=0x4d2, flags="DF", ttl=64)/ICMP(type=8, id=0x1234, seq=1)
     * /b"abcdefghijklmnop"}. */
    static final String ECHO_HEADER = "4500002c04d24000400121fd0a0000010a000002";
    static final String ECHO_PAYLOAD = "0800a27f123400016162636465666768696a6b6c6d6e6f70";
    static final String ECHO = ECHO_HEADER + ECHO_PAYLOAD;

    /** {@code IP(src="10.0.0.2", dst="10.0.0.1", id=0x1c46, ttl=64, tos=0xba)/UDP(sport=12345, dport=53)
     * /b"hello, world"}: DSCP 46 (expedited forwarding), ECN 2 (ECT(0)). */
    static final String UDP = "45ba00281c460000401149c30a0000020a000001" + "3039003500147b0968656c6c6f2c20776f726c64";

    /** {@code IP(src="10.0.0.1", dst="10.0.0.2", id=0xabcd, flags="MF", frag=185, ttl=64, proto=17)/(b"x" * 16)}. */
    static final String FRAGMENT = "45000024abcd20b940119a400a0000010a000002" + "78".repeat(16);

    /** With a router alert option (IHL 6): {@code IP(src="10.0.0.1", dst="10.0.0.2", id=0x0102, ttl=1,
     * options=[IPOption_Router_Alert()])/UDP(sport=5353, dport=5353)/b"mdns"}. */
    static final String WITH_OPTIONS =
            "460000240102000001110fc10a0000010a000002" + "94040000" + "14e914e9000ce6296d646e73";

    /** An IGMP report with a router alert option: {@code IP(src="192.168.1.1", dst="224.0.0.22", ttl=1, id=0,
     * options=[IPOption_Router_Alert()], proto=2)/b"\x22\x00\xfa\x02\x00\x00\x00\x00"}. */
    static final String IGMP = "460000200000000001028318c0a80101e0000016940400002200fa0200000000";

    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    private static final Ipv4Repr ECHO_REPR = new Ipv4Repr(A, B, IpProtocol.ICMP, 24, 64, 0, 0, 0x04d2, true, false, 0);

    private final Ipv4Packet packet = new Ipv4Packet();

    @Test
    void deconstruct() {
        ByteBuf buf = fromHex(ECHO);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.version()).isEqualTo(4);
            assertThat(packet.headerLength()).isEqualTo(20);
            assertThat(packet.dscp()).isZero();
            assertThat(packet.ecn()).isZero();
            assertThat(packet.totalLength()).isEqualTo(44);
            assertThat(packet.identification()).isEqualTo(0x04d2);
            assertThat(packet.dontFragment()).isTrue();
            assertThat(packet.moreFragments()).isFalse();
            assertThat(packet.fragmentOffset()).isZero();
            assertThat(packet.ttl()).isEqualTo(64);
            assertThat(packet.protocol()).isEqualTo(1);
            assertThat(packet.checksum()).isEqualTo(0x21fd);
            assertThat(packet.checksumValid()).isTrue();
            assertThat(packet.source()).isEqualTo(A);
            assertThat(packet.destination()).isEqualTo(B);
            assertThat(packet.payloadIndex()).isEqualTo(20);
            assertThat(packet.payloadLength()).isEqualTo(24);
            assertThat(hex(packet.payload())).isEqualTo(ECHO_PAYLOAD);
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.ok(ECHO_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void construct() {
        ByteBuf out = TestBuffers.empty();
        try {
            ECHO_REPR.emit(out);
            assertThat(out.readableBytes()).isEqualTo(ECHO_REPR.headerLength());
            assertThat(ECHO_REPR.bufferLength()).isEqualTo(44);
            assertThat(hex(out)).isEqualTo(ECHO_HEADER);
        } finally {
            out.release();
        }
    }

    @Test
    void dscpAndEcnAreTheTwoPartsOfTheSecondOctet() {
        Ipv4Repr expected = new Ipv4Repr(B, A, IpProtocol.UDP, 20, 64, 46, 2, 0x1c46, false, false, 0);
        assertRoundTrip(UDP, expected);
    }

    @Test
    void fragment() {
        Ipv4Repr expected = new Ipv4Repr(A, B, IpProtocol.UDP, 16, 64, 0, 0, 0xabcd, false, true, 185 * 8);
        assertThat(expected.isFragment()).isTrue();
        assertRoundTrip(FRAGMENT, expected);
    }

    private void assertRoundTrip(String fixture, Ipv4Repr expected) {
        ByteBuf buf = fromHex(fixture);
        ByteBuf out = TestBuffers.empty();
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.ok(expected));
            expected.emit(out);
            out.writeBytes(packet.payload());
            assertThat(hex(out)).isEqualTo(fixture);
        } finally {
            out.release();
            buf.release();
        }
    }

    @Test
    void optionsAreSkippedButTheirLengthRespected() {
        ByteBuf buf = fromHex(WITH_OPTIONS);
        ByteBuf out = TestBuffers.empty();
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.headerLength()).isEqualTo(24);
            assertThat(packet.payloadIndex()).isEqualTo(24);
            assertThat(hex(packet.payload())).isEqualTo("14e914e9000ce6296d646e73");
            Ipv4Repr repr = Ipv4Repr.parse(packet).valueOrNull();
            assertThat(repr).isEqualTo(new Ipv4Repr(A, B, IpProtocol.UDP, 12, 1, 0, 0, 0x0102, false, false, 0));
            // Emitted again, the header has no options and a checksum of its own.
            repr.emit(out);
            out.writeBytes(packet.payload());
            assertThat(packet.wrap(out)).isNull();
            assertThat(packet.headerLength()).isEqualTo(20);
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
            buf.release();
        }
    }

    @Test
    void everyShorterPrefixIsTruncated() {
        ByteBuf buf = fromHex(ECHO);
        try {
            for (int length = 0; length < buf.readableBytes(); length++) {
                assertThat(packet.wrap(buf, 0, length)).as("prefix of %d octets", length)
                        .isEqualTo(Malformed.TRUNCATED);
            }
        } finally {
            buf.release();
        }
    }

    /** RFC 791: the total length says where the packet ends; octets after it (Ethernet padding) are not in it. */
    @Test
    void totalLengthWinsOverALongerRegion() {
        ByteBuf buf = fromHex(ECHO + "00".repeat(16));
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.payloadLength()).isEqualTo(24);
            assertThat(hex(packet.payload())).isEqualTo(ECHO_PAYLOAD);
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.ok(ECHO_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void headerLengthBelowFiveWordsIsMalformed() {
        assertThat(wrapWith(0, 0x44)).isEqualTo(Malformed.BAD_HEADER_LENGTH);
        assertThat(wrapWith(0, 0x40)).isEqualTo(Malformed.BAD_HEADER_LENGTH);
    }

    @Test
    void totalLengthBelowHeaderLengthIsMalformed() {
        assertThat(wrapWith(3, 19)).isEqualTo(Malformed.BAD_LENGTH);
        // IHL 15 claims a 60-octet header in a 44-octet packet.
        assertThat(wrapWith(0, 0x4f)).isEqualTo(Malformed.BAD_LENGTH);
    }

    /** Sets one octet of the echo fixture, leaves the checksum wrong, and wraps it. */
    private Malformed wrapWith(int index, int value) {
        ByteBuf buf = fromHex(ECHO);
        try {
            buf.setByte(index, value);
            return packet.wrap(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void wrongVersionIsRejectedEvenWithAGoodChecksum() {
        assertThat(parseWith(0, 0x65)).isEqualTo(Malformed.BAD_VERSION);
    }

    @Test
    void wrongChecksumIsRejected() {
        ByteBuf buf = fromHex(ECHO);
        try {
            buf.setByte(8, 63); // TTL, without updating the checksum
            assertThat(packet.wrap(buf)).isNull();
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.rejected(Malformed.BAD_CHECKSUM));
        } finally {
            buf.release();
        }
    }

    /** The "ping of death": a fragment whose end lies beyond 65535 octets. */
    @Test
    void fragmentEndingBeyondTheLargestDatagramIsRejected() {
        // Offset 0x1fff * 8 = 65528, plus 24 octets of payload.
        assertThat(parseWith(6, 0x1f, 7, 0xff)).isEqualTo(Malformed.BAD_FRAGMENT);
    }

    @Test
    void unknownProtocolIsUnsupportedOnlyOnceTheHeaderIsValid() {
        ByteBuf buf = fromHex(IGMP);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.protocol()).isEqualTo(2);
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_PROTOCOL));
            buf.setByte(8, 2); // TTL: now the checksum is wrong, and that is reported first
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.rejected(Malformed.BAD_CHECKSUM));
        } finally {
            buf.release();
        }
    }

    /** Sets octets of the echo fixture as {@code index, value} pairs, fixes the checksum, and parses it. */
    private Malformed parseWith(int... indexesAndValues) {
        ByteBuf buf = fromHex(ECHO);
        try {
            for (int i = 0; i < indexesAndValues.length; i += 2) {
                buf.setByte(indexesAndValues[i], indexesAndValues[i + 1]);
            }
            buf.setShort(10, 0);
            buf.setShort(10, InternetChecksum.compute(buf, 0, 20));
            assertThat(packet.wrap(buf)).isNull();
            return Ipv4Repr.parse(packet).reasonOrNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void reprRejectsValuesOutOfRange() {
        assertThatThrownBy(() -> new Ipv4Repr(A, B, IpProtocol.UDP, 0, 256, 0, 0, 0, false, false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> new Ipv4Repr(A, B, IpProtocol.UDP, 0, 64, 0, 0, 0, false, true, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> new Ipv4Repr(A, B, IpProtocol.UDP, 65_515, 64, 0, 0, 0, false, false, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largest datagram");
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        Ipv4Repr repr = WireGen.ipv4Repr(gen);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            out.writeZero(repr.payloadLength());
            assertThat(out.readableBytes()).isEqualTo(repr.bufferLength());
            assertThat(packet.wrap(out)).isNull();
            assertThat(packet.checksumValid()).isTrue();
            assertThat(Ipv4Repr.parse(packet)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }
}
