package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.wire.TestBuffers.bytes;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class Icmpv4PacketTest {

    // Fixtures made with scapy 2.5 (Debian python3-scapy) as bytes(...).hex() of the expression quoted.

    /** {@code ICMP(type=8, id=0x1234, seq=1)/b"abcdefghijklmnop"}, the payload of Ipv4PacketTest's echo. */
    static final String ECHO_REQUEST = "0800a27f12340001" + "6162636465666768696a6b6c6d6e6f70";
    /** {@code ICMP(type=0, id=0x1234, seq=1)/b"abcdefghijklmnop"}. */
    static final String ECHO_REPLY = "0000aa7f12340001" + "6162636465666768696a6b6c6d6e6f70";

    /** The datagram the errors below are about: {@code IP(src="10.0.0.2", dst="10.0.0.1", id=0x1c46,
     * ttl=64)/UDP(sport=12345, dport=53)/b"hello, world"}. */
    static final String UDP_DATAGRAM =
            "450000281c46000040114a7d0a0000020a000001" + "3039003500147b0968656c6c6f2c20776f726c64";

    /** {@code ICMP(type=3, code=3)/udp_datagram}, quoting all of it. */
    static final String PORT_UNREACHABLE = "0303112500000000" + UDP_DATAGRAM;
    /** {@code ICMP(type=3, code=4, nexthopmtu=1400)/udp_datagram[:28]}, quoting the IP header and 8 octets. */
    static final String FRAGMENTATION_NEEDED = "03044bf800000578" + UDP_DATAGRAM.substring(0, 56);
    /** {@code ICMP(type=11, code=0)/udp_datagram[:28]}. */
    static final String TIME_EXCEEDED = "0b00497400000000" + UDP_DATAGRAM.substring(0, 56);
    /** A timestamp request, a type this stack does not handle:
     * {@code ICMP(type=13, id=1, seq=2, ts_ori=0, ts_rx=0, ts_tx=0)}. */
    static final String TIMESTAMP_REQUEST = "0d00f2fc00010002000000000000000000000000";

    private static final Octets ECHO_DATA = Octets.of("abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII));
    private static final Icmpv4Repr.EchoRequest ECHO_REQUEST_REPR = new Icmpv4Repr.EchoRequest(0x1234, 1, ECHO_DATA);

    private final Icmpv4Packet packet = new Icmpv4Packet();

    @Test
    void deconstructEchoRequest() {
        ByteBuf buf = fromHex(ECHO_REQUEST);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.type()).isEqualTo(8);
            assertThat(packet.code()).isZero();
            assertThat(packet.checksum()).isEqualTo(0xa27f);
            assertThat(packet.checksumValid()).isTrue();
            assertThat(packet.identifier()).isEqualTo(0x1234);
            assertThat(packet.sequenceNumber()).isEqualTo(1);
            assertThat(packet.restOfHeader()).isEqualTo(0x12340001);
            assertThat(packet.dataIndex()).isEqualTo(8);
            assertThat(packet.dataLength()).isEqualTo(16);
            assertThat(hex(packet.data())).isEqualTo("6162636465666768696a6b6c6d6e6f70");
            assertThat(Icmpv4Repr.parse(packet)).isEqualTo(Parsed.ok(ECHO_REQUEST_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void constructEchoRequestAndItsReply() {
        assertEmits(ECHO_REQUEST_REPR, ECHO_REQUEST);
        assertEmits(ECHO_REQUEST_REPR.reply(), ECHO_REPLY);
    }

    @Test
    void portUnreachableKeepsTheQuotedDatagram() {
        var expected = new Icmpv4Repr.DestinationUnreachable(
                UnreachableCode.PORT_UNREACHABLE, 0, Octets.of(bytes(UDP_DATAGRAM)));
        assertParses(PORT_UNREACHABLE, expected);
        assertEmits(expected, PORT_UNREACHABLE);
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() {
        var expected = new Icmpv4Repr.DestinationUnreachable(
                UnreachableCode.FRAGMENTATION_NEEDED, 1400, Octets.of(bytes(UDP_DATAGRAM.substring(0, 56))));
        assertParses(FRAGMENTATION_NEEDED, expected);
        assertEmits(expected, FRAGMENTATION_NEEDED);
    }

    @Test
    void timeExceeded() {
        var expected = new Icmpv4Repr.TimeExceeded(
                TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT, Octets.of(bytes(UDP_DATAGRAM.substring(0, 56))));
        assertParses(TIME_EXCEEDED, expected);
        assertEmits(expected, TIME_EXCEEDED);
    }

    /** RFC 1191 section 4: with codes other than fragmentation needed, the MTU field is unused and ignored. */
    @Test
    void junkInTheUnusedMtuFieldIsIgnored() {
        String withJunk = withChecksum("0303000000000578" + UDP_DATAGRAM);
        assertParses(withJunk, new Icmpv4Repr.DestinationUnreachable(
                UnreachableCode.PORT_UNREACHABLE, 0, Octets.of(bytes(UDP_DATAGRAM))));
    }

    @Test
    void everyPrefixShorterThanTheHeaderIsTruncated() {
        ByteBuf buf = fromHex(ECHO_REQUEST);
        try {
            for (int length = 0; length < Icmpv4Packet.HEADER_LENGTH; length++) {
                assertThat(packet.wrap(buf, 0, length)).as("prefix of %d octets", length)
                        .isEqualTo(Malformed.TRUNCATED);
            }
        } finally {
            buf.release();
        }
    }

    /** ICMP has no length field: a message cut short after its header shows as a checksum that fails. */
    @Test
    void everyLongerButIncompletePrefixFailsItsChecksum() {
        ByteBuf buf = fromHex(ECHO_REQUEST);
        try {
            for (int length = Icmpv4Packet.HEADER_LENGTH; length < buf.readableBytes(); length++) {
                assertThat(packet.wrap(buf, 0, length)).isNull();
                assertThat(Icmpv4Repr.parse(packet)).as("prefix of %d octets", length)
                        .isEqualTo(Parsed.rejected(Malformed.BAD_CHECKSUM));
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void wrongChecksumIsRejected() {
        assertRejects("0800a27e12340001" + "6162636465666768696a6b6c6d6e6f70", Malformed.BAD_CHECKSUM);
    }

    @Test
    void otherTypesAreUnsupported() {
        assertRejects(TIMESTAMP_REQUEST, Malformed.UNSUPPORTED_ICMP_TYPE);
    }

    @Test
    void undefinedCodesAreUnsupported() {
        assertRejects(withChecksum("0801000012340001"), Malformed.UNSUPPORTED_ICMP_CODE);
        assertRejects(withChecksum("0001000012340001"), Malformed.UNSUPPORTED_ICMP_CODE);
        assertRejects(withChecksum("0310000000000000" + UDP_DATAGRAM), Malformed.UNSUPPORTED_ICMP_CODE);
        assertRejects(withChecksum("0b02000000000000" + UDP_DATAGRAM), Malformed.UNSUPPORTED_ICMP_CODE);
    }

    @Test
    void onlyFragmentationNeededCarriesAnMtu() {
        assertThatThrownBy(() -> new Icmpv4Repr.DestinationUnreachable(
                        UnreachableCode.PORT_UNREACHABLE, 1400, Octets.EMPTY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FRAGMENTATION_NEEDED");
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        Icmpv4Repr repr = WireGen.icmpv4Repr(gen);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            assertThat(out.readableBytes()).isEqualTo(repr.bufferLength());
            assertThat(packet.wrap(out)).isNull();
            assertThat(packet.checksumValid()).isTrue();
            assertThat(Icmpv4Repr.parse(packet)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }

    private void assertParses(String hex, Icmpv4Repr expected) {
        ByteBuf buf = fromHex(hex);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(Icmpv4Repr.parse(packet)).isEqualTo(Parsed.ok(expected));
        } finally {
            buf.release();
        }
    }

    private void assertRejects(String hex, Malformed reason) {
        ByteBuf buf = fromHex(hex);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(Icmpv4Repr.parse(packet)).isEqualTo(Parsed.rejected(reason));
        } finally {
            buf.release();
        }
    }

    private static void assertEmits(Icmpv4Repr repr, String expected) {
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            assertThat(hex(out)).isEqualTo(expected);
        } finally {
            out.release();
        }
    }

    /** {@code hex} with its checksum field (octets 2 and 3, zero in {@code hex}) filled in. */
    private static String withChecksum(String hex) {
        ByteBuf buf = fromHex(hex);
        try {
            buf.setShort(2, InternetChecksum.compute(buf, 0, buf.readableBytes()));
            return TestBuffers.hex(buf);
        } finally {
            buf.release();
        }
    }
}
