package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;

/**
 * A checked, zero-copy view of a UDP datagram (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Data ...
 * </pre>
 *
 * <p>Length counts header and data. {@link #wrap} checks that 8 &le; length &le; the region; the length field wins
 * over the region, so octets after it are not part of the datagram. The checksum covers the IPv4 pseudo-header,
 * the header and the data; zero means the sender computed none (RFC 768).
 *
 * <p>The view borrows the buffer: it never retains or releases it. After a successful {@code wrap} no accessor
 * throws. A view is reusable and belongs to one thread at a time.
 */
public final class UdpPacket extends WireView {

    /** The length of the header. */
    public static final int HEADER_LENGTH = 8;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;


    /** Checks that {@code length} octets at {@code index} of {@code buf} hold the whole datagram; null if so. */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        if (length < HEADER_LENGTH) return Malformed.TRUNCATED;
        int udpLength = buf.getUnsignedShort(index + LENGTH);
        if (udpLength < HEADER_LENGTH) return Malformed.BAD_LENGTH;
        if (udpLength > length) return Malformed.TRUNCATED;
        return null;
    }

    @Override
    Malformed problem(ByteBuf buf, int index, int length) {
        return check(buf, index, length);
    }



    public int sourcePort() {
        return buf.getUnsignedShort(start + SOURCE_PORT);
    }

    public int destinationPort() {
        return buf.getUnsignedShort(start + DESTINATION_PORT);
    }

    /** The length field: header plus data, in octets. */
    public int length() {
        return buf.getUnsignedShort(start + LENGTH);
    }

    /** The checksum field as sent; zero if the sender computed none. */
    public int checksum() {
        return buf.getUnsignedShort(start + CHECKSUM);
    }

    /**
     * Whether the checksum verifies for a datagram sent from {@code source} to {@code destination}: true when the
     * checksum field is zero (none computed) or the sum over pseudo-header, header and data is zero.
     */
    public boolean checksumValid(Ipv4Address source, Ipv4Address destination) {
        if (checksum() == 0) return true;
        int length = length();
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.UDP, length);
        return InternetChecksum.finish(InternetChecksum.add(sum, buf, start, length)) == 0;
    }

    /** The buffer this view is bound to; still owned by whoever passed it to {@link #wrap}. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} where the data starts. */
    public int payloadIndex() {
        return start + HEADER_LENGTH;
    }

    /** The length of the data: the length field minus the header. */
    public int payloadLength() {
        return length() - HEADER_LENGTH;
    }

    /** The data as a slice of {@link #buffer()}: it shares the reference count and is not retained. */
    public ByteBuf payload() {
        return buf.slice(payloadIndex(), payloadLength());
    }
}
