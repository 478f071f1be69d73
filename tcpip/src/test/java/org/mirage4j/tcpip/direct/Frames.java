package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpPacket;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Icmpv4Packet;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Packet;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.UdpPacket;
import org.mirage4j.tcpip.wire.UdpRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/** Builds frames for the stack to receive, and reads the frames it sent, with the wire package's representations. */
final class Frames {

    private Frames() {}

    /** A frame as bytes. */
    static byte[] ethernet(MacAddress source, MacAddress destination, EtherType type, byte[] payload) {
        return build(out -> {
            new EthernetRepr(source, destination, type).emit(out);
            out.writeBytes(payload);
        });
    }

    static byte[] arp(ArpRepr arp) {
        return build(arp::emit);
    }

    /** An IPv4 packet: {@code header} (whose payload length must match) and {@code payload}. */
    static byte[] ipv4(Ipv4Repr header, byte[] payload) {
        return build(out -> {
            header.emit(out);
            out.writeBytes(payload);
        });
    }

    /** A whole datagram's header with TTL 64 and identification {@code id}. */
    static Ipv4Repr header(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int payloadLength, int id) {
        return new Ipv4Repr(source, destination, protocol, payloadLength, 64, 0, 0, id, false, false, 0);
    }

    /** One fragment's header. */
    static Ipv4Repr fragment(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int id, int offset, int length, boolean more) {
        return new Ipv4Repr(source, destination, protocol, length, 64, 0, 0, id, false, more, offset);
    }

    static byte[] udp(Ipv4Address source, Ipv4Address destination, int sourcePort, int destinationPort, byte[] data) {
        ByteBuf payload = TrackedHeapAllocator.INSTANCE.heapBuffer(data.length).writeBytes(data);
        try {
            return build(out -> new UdpRepr(sourcePort, destinationPort).emit(out, source, destination, payload));
        } finally {
            payload.release();
        }
    }

    static byte[] icmp(Icmpv4Repr message) {
        return build(message::emit);
    }

    /** A whole IPv4 frame from {@code sourceMac} to {@code destinationMac}. */
    static byte[] ipv4Frame(MacAddress sourceMac, MacAddress destinationMac, Ipv4Repr header, byte[] payload) {
        return ethernet(sourceMac, destinationMac, EtherType.IPV4, ipv4(header, payload));
    }

    /** What a sent frame holds, read back with the wire views. */
    record Sent(EthernetRepr ethernet, byte[] payload) {
        ArpRepr arp() {
            ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(payload);
            try {
                ArpPacket view = new ArpPacket();
                if (view.wrap(buf) != null) throw new AssertionError("not an ARP packet: " + hex(payload));
                return ArpRepr.parse(view).valueOrNull();
            } finally {
                buf.release();
            }
        }

        Ipv4Repr ipv4() {
            ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(payload);
            try {
                Ipv4Packet view = new Ipv4Packet();
                if (view.wrap(buf) != null) throw new AssertionError("not an IPv4 packet: " + hex(payload));
                Ipv4Repr repr = Ipv4Repr.parse(view).valueOrNull();
                if (repr == null) throw new AssertionError("IPv4 packet does not parse: " + Ipv4Repr.parse(view));
                return repr;
            } finally {
                buf.release();
            }
        }

        /** The IPv4 payload (after a 20-octet header). */
        byte[] ipv4Payload() {
            byte[] out = new byte[ipv4().payloadLength()];
            System.arraycopy(payload, Ipv4Packet.HEADER_LENGTH, out, 0, out.length);
            return out;
        }

        Icmpv4Repr icmp() {
            ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(ipv4Payload());
            try {
                Icmpv4Packet view = new Icmpv4Packet();
                if (view.wrap(buf) != null) throw new AssertionError("not an ICMP message");
                return Icmpv4Repr.parse(view).valueOrNull();
            } finally {
                buf.release();
            }
        }

        /** The UDP datagram's ports and data, checksum verified. */
        Udp udp() {
            Ipv4Repr ip = ipv4();
            ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(ipv4Payload());
            try {
                UdpPacket view = new UdpPacket();
                if (view.wrap(buf) != null) throw new AssertionError("not a UDP datagram");
                UdpRepr repr = UdpRepr.parse(view, ip.source(), ip.destination()).valueOrNull();
                if (repr == null || view.checksum() == 0) throw new AssertionError("UDP checksum missing or wrong");
                return new Udp(repr.sourcePort(), repr.destinationPort(), ByteBufUtil.getBytes(view.payload()));
            } finally {
                buf.release();
            }
        }
    }

    record Udp(int sourcePort, int destinationPort, byte[] data) {}

    /** Reads a sent frame; the caller keeps ownership of {@code frame}. */
    static Sent read(ByteBuf frame) {
        EthernetFrame view = new EthernetFrame();
        if (view.wrap(frame) != null) throw new AssertionError("frame too short: " + ByteBufUtil.hexDump(frame));
        EthernetRepr ethernet = EthernetRepr.parse(view).valueOrNull();
        return new Sent(ethernet, ByteBufUtil.getBytes(view.payload()));
    }

    static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    private static byte[] build(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf out = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
