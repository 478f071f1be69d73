package org.mirage4j.net.unix;

import java.nio.ByteBuffer;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/**
 * Hand-built IPv4 frames carrying TCP or UDP, with a complete checksum or a partial one (the pseudo-header's folded
 * sum, as Linux leaves it for a device with checksum offload), byte by byte as RFC 791, RFC 768 and RFC 9293 lay
 * them out.
 */
final class OffloadFrames {

    static final int SYN = 0x02;
    static final int FIN = 0x01;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    /** Where the transport header starts in these frames: after 14 octets of Ethernet and 20 of IPv4. */
    static final int TRANSPORT = 34;

    private OffloadFrames() {}

    /** A TCP segment with an MSS option of 1460 when {@code flags} has SYN. */
    static byte[] tcp(MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source, Ipv4Address destination,
            int sourcePort, int destinationPort, int seq, int ack, int flags, byte[] data, boolean partialChecksum) {
        boolean syn = (flags & SYN) != 0;
        int headerLength = syn ? 24 : 20;
        ByteBuffer segment = ByteBuffer.allocate(headerLength + data.length);
        segment.putShort((short) sourcePort).putShort((short) destinationPort).putInt(seq).putInt(ack)
                .put((byte) ((headerLength / 4) << 4)).put((byte) flags).putShort((short) 65_535)
                .putShort((short) 0).putShort((short) 0);
        if (syn) segment.put((byte) 2).put((byte) 4).putShort((short) 1460);
        segment.put(data);
        return frame(destinationMac, sourceMac, source, destination, 6, segment.array(), 16, partialChecksum);
    }

    /** A UDP datagram. */
    static byte[] udp(MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source, Ipv4Address destination,
            int sourcePort, int destinationPort, byte[] data, boolean partialChecksum) {
        ByteBuffer datagram = ByteBuffer.allocate(8 + data.length);
        datagram.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + data.length))
                .putShort((short) 0).put(data);
        return frame(destinationMac, sourceMac, source, destination, 17, datagram.array(), 6, partialChecksum);
    }

    /** The sequence number of a TCP segment in {@code frame}, as an int. */
    static int seq(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(TRANSPORT + 4);
    }

    static int tcpFlags(byte[] frame) {
        return frame[TRANSPORT + 13] & 0xFF;
    }

    static boolean isTcp(byte[] frame) {
        return frame.length >= TRANSPORT + 20 && Frames.etherType(frame) == Frames.ETHERTYPE_IPV4 && frame[14 + 9] == 6;
    }

    private static byte[] frame(MacAddress destinationMac, MacAddress sourceMac, Ipv4Address source,
            Ipv4Address destination, int protocol, byte[] payload, int checksumOffset, boolean partialChecksum) {
        ByteBuffer frame = ByteBuffer.allocate(TRANSPORT + payload.length);
        frame.put(destinationMac.octets()).put(sourceMac.octets()).putShort((short) Frames.ETHERTYPE_IPV4);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 1)
                .putShort((short) 0x4000) // DF
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(source.bits()).putInt(destination.bits());
        frame.putShort(14 + 10, (short) Frames.internetChecksum(frame.array(), 14, 20));
        frame.put(payload);
        byte[] bytes = frame.array();
        // The pseudo-header (RFC 9293 section 3.1, RFC 768): addresses, protocol, length.
        long pseudo = (source.bits() >>> 16) + (source.bits() & 0xFFFF) + (destination.bits() >>> 16)
                + (destination.bits() & 0xFFFF) + protocol + payload.length;
        int sum;
        if (partialChecksum) {
            while ((pseudo >>> 16) != 0) pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
            sum = (int) pseudo;
        } else {
            int data = ~Frames.internetChecksum(bytes, TRANSPORT, payload.length) & 0xFFFF; // the plain sum, folded
            long total = pseudo + data;
            while ((total >>> 16) != 0) total = (total & 0xFFFF) + (total >>> 16);
            sum = (int) (~total & 0xFFFF);
        }
        bytes[TRANSPORT + checksumOffset] = (byte) (sum >>> 8);
        bytes[TRANSPORT + checksumOffset + 1] = (byte) sum;
        return bytes;
    }
}
