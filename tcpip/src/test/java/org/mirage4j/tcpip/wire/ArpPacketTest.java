package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class ArpPacketTest {

    /**
     * Who has 10.0.0.2? Tell 10.0.0.1: a broadcast frame padded to the 60-octet minimum as on the wire, made with
     * scapy 2.5 (Debian python3-scapy): {@code Ether(dst="ff:ff:ff:ff:ff:ff", src="52:54:00:12:34:56")/ARP(op=1,
     * hwsrc="52:54:00:12:34:56", psrc="10.0.0.1", hwdst="00:00:00:00:00:00", pdst="10.0.0.2")/Padding(b"\0" * 18)}.
     */
    static final String REQUEST = "0001080006040001" + "525400123456" + "0a000001" + "000000000000" + "0a000002";
    static final String PADDED_REQUEST_FRAME = "ffffffffffff5254001234560806" + REQUEST + "00".repeat(18);

    /** 10.0.0.2 is at 02:00:00:00:00:02, made with scapy 2.5 as {@code ARP(op=2, hwsrc="02:00:00:00:00:02",
     * psrc="10.0.0.2", hwdst="52:54:00:12:34:56", pdst="10.0.0.1")}. */
    static final String REPLY = "0001080006040002" + "020000000002" + "0a000002" + "525400123456" + "0a000001";

    private static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:12:34:56");
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address OUR_IP = Ipv4Address.parse("10.0.0.2");

    private static final ArpRepr REQUEST_REPR =
            new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP);
    private static final ArpRepr REPLY_REPR = new ArpRepr(ArpOperation.REPLY, OUR_MAC, OUR_IP, PEER_MAC, PEER_IP);

    private final EthernetFrame frame = new EthernetFrame();
    private final ArpPacket packet = new ArpPacket();

    @Test
    void deconstructARequestFromAPaddedFrame() {
        ByteBuf buf = fromHex(PADDED_REQUEST_FRAME);
        try {
            assertThat(frame.wrap(buf)).isNull();
            assertThat(EthernetRepr.parse(frame).valueOrNull().etherType()).isEqualTo(EtherType.ARP);
            assertThat(frame.payloadLength()).isEqualTo(46);
            // The 18 octets of padding after the 28 of ARP are not part of the packet.
            assertThat(packet.wrap(buf, frame.payloadIndex(), frame.payloadLength())).isNull();
            assertThat(packet.hardwareType()).isEqualTo(1);
            assertThat(packet.protocolType()).isEqualTo(0x0800);
            assertThat(packet.hardwareLength()).isEqualTo(6);
            assertThat(packet.protocolLength()).isEqualTo(4);
            assertThat(packet.operation()).isEqualTo(1);
            assertThat(packet.senderMac()).isEqualTo(PEER_MAC);
            assertThat(packet.senderIp()).isEqualTo(PEER_IP);
            assertThat(packet.targetMac()).isEqualTo(MacAddress.ZERO);
            assertThat(packet.targetIp()).isEqualTo(OUR_IP);
            assertThat(ArpRepr.parse(packet)).isEqualTo(Parsed.ok(REQUEST_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void deconstructAReply() {
        ByteBuf buf = fromHex(REPLY);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(ArpRepr.parse(packet)).isEqualTo(Parsed.ok(REPLY_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void construct() {
        ByteBuf out = TestBuffers.empty();
        try {
            REQUEST_REPR.emit(out);
            assertThat(hex(out)).isEqualTo(REQUEST);
            out.clear();
            REPLY_REPR.emit(out);
            assertThat(out.readableBytes()).isEqualTo(REPLY_REPR.bufferLength());
            assertThat(hex(out)).isEqualTo(REPLY);
        } finally {
            out.release();
        }
    }

    @Test
    void everyShorterPrefixIsTruncated() {
        ByteBuf buf = fromHex(REQUEST);
        try {
            for (int length = 0; length < ArpPacket.LENGTH; length++) {
                assertThat(packet.wrap(buf, 0, length)).as("prefix of %d octets", length)
                        .isEqualTo(Malformed.TRUNCATED);
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void otherHardwareOrProtocolIsUnsupported() {
        // Hardware type 6 (IEEE 802), protocol IPv6, hardware length 8, protocol length 16: each alone.
        String[] variants = {
            "0006" + REQUEST.substring(4),
            REQUEST.substring(0, 4) + "86dd" + REQUEST.substring(8),
            REQUEST.substring(0, 8) + "08" + REQUEST.substring(10),
            REQUEST.substring(0, 10) + "10" + REQUEST.substring(12),
        };
        for (String variant : variants) {
            ByteBuf buf = fromHex(variant);
            try {
                assertThat(packet.wrap(buf)).isNull();
                assertThat(ArpRepr.parse(packet)).as(variant)
                        .isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_ARP_FORMAT));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void rarpOperationIsUnsupported() {
        ByteBuf buf = fromHex(REQUEST.substring(0, 12) + "0003" + REQUEST.substring(16));
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(ArpRepr.parse(packet)).isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_ARP_OPERATION));
        } finally {
            buf.release();
        }
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        ArpRepr repr = WireGen.arpRepr(gen);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            assertThat(out.readableBytes()).isEqualTo(repr.bufferLength());
            assertThat(packet.wrap(out)).isNull();
            assertThat(ArpRepr.parse(packet)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }
}
