package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class EthernetFrameTest {

    /**
     * An ICMP echo request in a frame, made with scapy 2.5 (Debian python3-scapy):
     * {@code Ether(dst="02:00:00:00:00:02", src="52:54:00:12:34:56")/IP(src="10.0.0.1", dst="10.0.0.2", id=0x4d2,
     * flags="DF", ttl=64)/ICMP(type=8, id=0x1234, seq=1)/b"abcdefghijklmnop"}.
     */
    static final String FRAME_HEADER = "020000000002" + "525400123456" + "0800";
    static final String IPV4_PACKET = "4500002c04d24000400121fd0a0000010a000002"
            + "0800a27f123400016162636465666768696a6b6c6d6e6f70";
    static final String FRAME = FRAME_HEADER + IPV4_PACKET;

    /** An LLDP frame (EtherType 88cc), made with scapy 2.5 as {@code Ether(type=0x88cc)/b"..."}. */
    static final String LLDP_FRAME = "0180c200000e52540012345688cc020704525400123456";

    private static final EthernetRepr REPR = new EthernetRepr(
            MacAddress.parse("52:54:00:12:34:56"), MacAddress.parse("02:00:00:00:00:02"), EtherType.IPV4);

    private final EthernetFrame frame = new EthernetFrame();

    @Test
    void deconstruct() {
        ByteBuf buf = fromHex(FRAME);
        try {
            assertThat(frame.wrap(buf)).isNull();
            assertThat(frame.destination()).isEqualTo(MacAddress.parse("02:00:00:00:00:02"));
            assertThat(frame.source()).isEqualTo(MacAddress.parse("52:54:00:12:34:56"));
            assertThat(frame.etherType()).isEqualTo(0x0800);
            assertThat(frame.payloadIndex()).isEqualTo(14);
            assertThat(frame.payloadLength()).isEqualTo(44);
            assertThat(hex(frame.payload())).isEqualTo(IPV4_PACKET);
            assertThat(EthernetRepr.parse(frame)).isEqualTo(Parsed.ok(REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void construct() {
        ByteBuf out = TestBuffers.empty();
        try {
            REPR.emit(out);
            assertThat(out.readableBytes()).isEqualTo(REPR.headerLength());
            assertThat(REPR.bufferLength(44)).isEqualTo(58);
            assertThat(hex(out)).isEqualTo(FRAME_HEADER);
        } finally {
            out.release();
        }
    }

    @Test
    void everyPrefixShorterThanTheHeaderIsTruncated() {
        ByteBuf buf = fromHex(FRAME);
        try {
            for (int length = 0; length < EthernetFrame.HEADER_LENGTH; length++) {
                assertThat(frame.wrap(buf, 0, length)).as("prefix of %d octets", length)
                        .isEqualTo(Malformed.TRUNCATED);
            }
            assertThat(frame.wrap(buf, 0, EthernetFrame.HEADER_LENGTH)).isNull();
            assertThat(frame.payloadLength()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void unknownEtherTypeIsUnsupported() {
        ByteBuf buf = fromHex(LLDP_FRAME);
        try {
            assertThat(frame.wrap(buf)).isNull();
            assertThat(frame.etherType()).isEqualTo(0x88cc);
            assertThat(EthernetRepr.parse(frame)).isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_ETHER_TYPE));
        } finally {
            buf.release();
        }
    }

    /** The view reads the region it was given, wherever it sits in the buffer, and leaves the indexes alone. */
    @Test
    void wrapsARegionInsideALargerBuffer() {
        ByteBuf buf = fromHex("ffff" + FRAME + "eeee");
        try {
            assertThat(frame.wrap(buf, 2, FRAME.length() / 2)).isNull();
            assertThat(EthernetRepr.parse(frame)).isEqualTo(Parsed.ok(REPR));
            assertThat(hex(frame.payload())).isEqualTo(IPV4_PACKET);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        EthernetRepr repr = WireGen.ethernetRepr(gen);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            assertThat(frame.wrap(out)).isNull();
            assertThat(EthernetRepr.parse(frame)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }
}
