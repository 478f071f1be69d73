package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;

/**
 * What a UDP header means (RFC 768): the two ports. The data stays in the buffer, reachable through
 * {@link UdpPacket#payload()} on receipt and passed to {@link #emit} on sending.
 *
 * @param sourcePort the sender's port, 0 to 65535 (0: no reply expected)
 * @param destinationPort the receiver's port, 0 to 65535
 */
public record UdpRepr(int sourcePort, int destinationPort) {

    /** The most data a datagram can carry inside an IPv4 packet without options. */
    public static final int MAX_PAYLOAD_LENGTH = Ipv4Repr.MAX_PAYLOAD_LENGTH - UdpPacket.HEADER_LENGTH;

    public UdpRepr {
        if (sourcePort < 0 || sourcePort > 0xFFFF) {
            throw new IllegalArgumentException("sourcePort must be 0 to 65535, not " + sourcePort + ".");
        }
        if (destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("destinationPort must be 0 to 65535, not " + destinationPort + ".");
        }
    }

    /**
     * The meaning of a bound datagram sent from {@code source} to {@code destination} (the IPv4 addresses the
     * pseudo-header needs). Rejects a checksum that is present and wrong.
     */
    public static Parsed<UdpRepr> parse(UdpPacket packet, Ipv4Address source, Ipv4Address destination) {
        if (!packet.checksumValid(source, destination)) return Parsed.rejected(Malformed.BAD_CHECKSUM);
        return Parsed.ok(new UdpRepr(packet.sourcePort(), packet.destinationPort()));
    }

    /** The length of the header {@link #emit} writes. */
    public int headerLength() {
        return UdpPacket.HEADER_LENGTH;
    }

    /** The length of a datagram carrying {@code payloadLength} octets of data. */
    public int bufferLength(int payloadLength) {
        return UdpPacket.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes the datagram (header, checksum included, then the readable bytes of {@code payload}) at the writer
     * index of {@code out}, for sending from {@code source} to {@code destination}. The caller keeps ownership of
     * both buffers; {@code payload}'s indexes do not move.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_PAYLOAD_LENGTH}
     */
    public void emit(ByteBuf out, Ipv4Address source, Ipv4Address destination, ByteBuf payload) {
        int payloadLength = payload.readableBytes();
        if (payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException(
                    "A UDP datagram carries at most " + MAX_PAYLOAD_LENGTH + " octets, not " + payloadLength + ".");
        }
        int start = out.writerIndex();
        int length = bufferLength(payloadLength);
        out.writeShort(sourcePort);
        out.writeShort(destinationPort);
        out.writeShort(length);
        out.writeShort(0);
        out.writeBytes(payload, payload.readerIndex(), payloadLength);
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.UDP, length);
        int checksum = InternetChecksum.finish(InternetChecksum.add(sum, out, start, length));
        // RFC 768: a computed checksum of zero is sent as all ones, since zero means "no checksum".
        out.setShort(start + 6, checksum == 0 ? 0xFFFF : checksum);
    }
}
