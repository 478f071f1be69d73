package org.mirage4j.reliability;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.function.Consumer;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;
import org.mirage4j.tcpip.wire.UdpRepr;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * Well-formed frames of every kind the stack handles, from an attacker on the link (10.0.0.66 at
 * 02:00:00:00:00:66, so that damage to them does not touch what the stack knows of its real peer), for
 * {@link Gen#mutate} to damage: the raw material of the barrage and the fuzz tests' seeds.
 */
final class HostileFrames {

    static final MacAddress ATTACKER_MAC = MacAddress.parse("02:00:00:00:00:66");
    static final Ipv4Address ATTACKER_IP = Ipv4Address.parse("10.0.0.66");

    private HostileFrames() {}

    /** One frame of each kind, to the stack of a {@link StackPair}. */
    static List<byte[]> templates() {
        Ipv4Address us = StackPair.STACK_IP;
        MacAddress usMac = StackPair.STACK_MAC;
        byte[] echo = bytes(new Icmpv4Repr.EchoRequest(1, 2, Octets.of(new byte[24]))::emit);
        byte[] udpEcho = udp(StackPair.UDP_ECHO_PORT, new byte[] {1, 2, 3, 4});
        byte[] udpClosed = udp(9, new byte[] {5, 6});
        TcpRepr syn = TcpRepr.of(40000, StackPair.HTTP_PORT, new SeqNum(1000), SeqNum.ZERO, TcpRepr.SYN, 64_240)
                .withMaxSegmentSize(1460).withSackPermitted(true).withTimestamps(new TcpOption.Timestamps(1, 0)).withWindowScale(7);
        TcpRepr data = TcpRepr.of(40000, StackPair.HTTP_PORT, new SeqNum(1001), new SeqNum(5000), TcpRepr.ACK | TcpRepr.PSH, 502)
                .withSackBlocks(List.of(new SackBlock(new SeqNum(6000), new SeqNum(7000))));
        TcpRepr rst = TcpRepr.of(40000, StackPair.HTTP_PORT, new SeqNum(1001), SeqNum.ZERO, TcpRepr.RST, 0);
        TcpRepr fin = TcpRepr.of(40000, StackPair.HTTP_PORT, new SeqNum(1001), new SeqNum(5000), TcpRepr.ACK | TcpRepr.FIN, 502);
        return List.of(
                ethernet(MacAddress.BROADCAST, EtherType.ARP,
                        bytes(new ArpRepr(ArpOperation.REQUEST, ATTACKER_MAC, ATTACKER_IP, MacAddress.ZERO, us)::emit)),
                ethernet(usMac, EtherType.ARP, bytes(new ArpRepr(ArpOperation.REPLY, ATTACKER_MAC, ATTACKER_IP, usMac, us)::emit)),
                ipv4(usMac, header(IpProtocol.ICMP, echo.length, 1), echo),
                ipv4(usMac, header(IpProtocol.UDP, udpEcho.length, 2), udpEcho),
                ipv4(usMac, header(IpProtocol.UDP, udpClosed.length, 3), udpClosed),
                ipv4(usMac, fragment(4, 0, 16, true), new byte[16]),
                ipv4(usMac, fragment(4, 16, 12, false), new byte[12]),
                ipv4(usMac, header(IpProtocol.TCP, syn.bufferLength(0), 5), tcp(syn, new byte[0])),
                ipv4(usMac, header(IpProtocol.TCP, data.bufferLength(5), 6), tcp(data, "GET /".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
                ipv4(usMac, header(IpProtocol.TCP, rst.bufferLength(0), 7), tcp(rst, new byte[0])),
                ipv4(usMac, header(IpProtocol.TCP, fin.bufferLength(0), 8), tcp(fin, new byte[0])),
                ethernet(usMac, EtherType.IPV6, new byte[48]));
    }

    /** A SYN to the stack's HTTP port from {@code source}, which may be spoofed, as a SYN flood sends. */
    static byte[] syn(Ipv4Address source, int sourcePort, int seq) {
        TcpRepr syn = TcpRepr.of(sourcePort, StackPair.HTTP_PORT, new SeqNum(seq), SeqNum.ZERO, TcpRepr.SYN, 64_240)
                .withMaxSegmentSize(1460);
        ByteBuf none = TrackedHeapAllocator.INSTANCE.heapBuffer(0);
        try {
            byte[] segment = bytes(out -> syn.emit(out, source, StackPair.STACK_IP, none));
            Ipv4Repr ip = new Ipv4Repr(source, StackPair.STACK_IP, IpProtocol.TCP, segment.length, 64, 0, 0, seq & 0xFFFF,
                    true, false, 0);
            return ethernet(StackPair.STACK_MAC, EtherType.IPV4, bytes(out -> {
                ip.emit(out);
                out.writeBytes(segment);
            }));
        } finally {
            none.release();
        }
    }

    /** The next frame of a barrage: one time in ten random bytes, else a damaged template. */
    static byte[] next(Gen gen, List<byte[]> templates) {
        return gen.intBetween(0, 9) == 0 ? gen.bytes(0, 1514) : gen.mutate(gen.oneOf(templates));
    }

    private static Ipv4Repr header(IpProtocol protocol, int payloadLength, int id) {
        return new Ipv4Repr(ATTACKER_IP, StackPair.STACK_IP, protocol, payloadLength, 64, 0, 0, id, false, false, 0);
    }

    private static Ipv4Repr fragment(int id, int offset, int length, boolean more) {
        return new Ipv4Repr(ATTACKER_IP, StackPair.STACK_IP, IpProtocol.UDP, length, 64, 0, 0, id, false, more, offset);
    }

    private static byte[] udp(int port, byte[] data) {
        ByteBuf payload = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(data);
        try {
            return bytes(out -> new UdpRepr(40000, port).emit(out, ATTACKER_IP, StackPair.STACK_IP, payload));
        } finally {
            payload.release();
        }
    }

    private static byte[] tcp(TcpRepr header, byte[] data) {
        ByteBuf payload = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(data);
        try {
            return bytes(out -> header.emit(out, ATTACKER_IP, StackPair.STACK_IP, payload));
        } finally {
            payload.release();
        }
    }

    private static byte[] ipv4(MacAddress destination, Ipv4Repr header, byte[] payload) {
        return ethernet(destination, EtherType.IPV4, bytes(out -> {
            header.emit(out);
            out.writeBytes(payload);
        }));
    }

    private static byte[] ethernet(MacAddress destination, EtherType type, byte[] payload) {
        return bytes(out -> {
            new EthernetRepr(ATTACKER_MAC, destination, type).emit(out);
            out.writeBytes(payload);
        });
    }

    private static byte[] bytes(Consumer<ByteBuf> writer) {
        ByteBuf out = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
