package org.mirage4j.tcpip.direct;

import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * TCP segments for a {@link StackFixture}'s stack, from its peer, built octet by octet so that a test can put in
 * what {@link TcpRepr#emit} never would (options of length 0 or 1, an option running past the header); and the TCP
 * segments the stack sent, read back.
 */
final class TcpSegments {

    private TcpSegments() {}

    /**
     * A whole frame holding one TCP segment from the peer to us with a correct checksum.
     *
     * @param options the option octets as they go on the wire; padded with zeros (End) to a multiple of 4
     */
    static byte[] frame(int sourcePort, int destinationPort, int seq, int ack, int flags, int window, int urgent,
            byte[] options, byte[] data) {
        byte[] segment = segment(sourcePort, destinationPort, seq, ack, flags, window, urgent, options, data);
        return Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.TCP, segment.length, seq & 0xFFFF),
                segment);
    }

    /** The segment alone, as {@link #frame} puts it in an IPv4 packet. */
    static byte[] segment(int sourcePort, int destinationPort, int seq, int ack, int flags, int window, int urgent,
            byte[] options, byte[] data) {
        int optionsLength = (options.length + 3) & ~3;
        int headerLength = TcpPacket.HEADER_LENGTH + optionsLength;
        ByteBuf out = TrackedHeapAllocator.INSTANCE.heapBuffer(headerLength + data.length);
        try {
            out.writeShort(sourcePort).writeShort(destinationPort).writeInt(seq).writeInt(ack)
                    .writeByte((headerLength / 4) << 4).writeByte(flags).writeShort(window)
                    .writeShort(0) // the checksum, below
                    .writeShort(urgent)
                    .writeBytes(options).writeZero(optionsLength - options.length)
                    .writeBytes(data);
            long sum = InternetChecksum.pseudoHeader(PEER_IP, OUR_IP, IpProtocol.TCP, out.readableBytes());
            out.setShort(16, InternetChecksum.finish(InternetChecksum.add(sum, out, 0, out.readableBytes())));
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** A SYN-like segment without options from {@code source} (not the peer) to us, its checksum right for it. */
    static byte[] segmentFrom(Ipv4Address source, int sourcePort, int destinationPort, int seq, int flags) {
        ByteBuf out = TrackedHeapAllocator.INSTANCE.heapBuffer(TcpPacket.HEADER_LENGTH);
        try {
            out.writeShort(sourcePort).writeShort(destinationPort).writeInt(seq).writeInt(0)
                    .writeByte(5 << 4).writeByte(flags).writeShort(65_535).writeShort(0).writeShort(0);
            long sum = InternetChecksum.pseudoHeader(source, OUR_IP, IpProtocol.TCP, out.readableBytes());
            out.setShort(16, InternetChecksum.finish(InternetChecksum.add(sum, out, 0, out.readableBytes())));
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** A segment with no options. */
    static byte[] frame(int sourcePort, int destinationPort, int seq, int ack, int flags, byte[] data) {
        return frame(sourcePort, destinationPort, seq, ack, flags, 65_535, 0, new byte[0], data);
    }

    /** A TCP segment the stack sent, and its data. */
    record Sent(TcpRepr header, byte[] data) {}

    /** Reads {@code sent} as a TCP segment to the peer; fails if it is none or does not parse. */
    static Sent read(Frames.Sent sent) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(sent.ipv4Payload());
        try {
            TcpPacket packet = new TcpPacket();
            if (packet.wrap(buf) != null) throw new AssertionError("not a TCP segment: " + Frames.hex(sent.payload()));
            Parsed<TcpRepr> parsed = TcpRepr.parse(packet, sent.ipv4().source(), sent.ipv4().destination());
            if (parsed.valueOrNull() == null) throw new AssertionError("the stack sent a segment that does not parse: " + parsed);
            return new Sent(parsed.valueOrNull(), ByteBufUtil.getBytes(packet.payload()));
        } finally {
            buf.release();
        }
    }
}
