package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;

/**
 * A checked, zero-copy view of a TCP segment (RFC 9293 section 3.1), the whole payload of an IPv4 packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Data ...
 * </pre>
 *
 * <p>The data offset is the header length in 32-bit words, options included. TCP has no length field: the segment
 * ends where the region ends (the IPv4 payload). {@link #wrap} checks that the fixed header fits, that the data
 * offset is at least 5 and within the region, and that the option list is well formed (see
 * {@link TcpOption#check}). It does not check the checksum: that is {@link TcpRepr#parse}'s job, since it needs the
 * IPv4 addresses of the pseudo-header.
 *
 * <p>The view borrows the buffer: it never retains or releases it. After a successful {@code wrap} no accessor
 * throws. A view is reusable and belongs to one thread at a time.
 */
public final class TcpPacket extends WireView {

    /** The length of a header without options (data offset 5). */
    public static final int HEADER_LENGTH = 20;
    /** The longest header: data offset 15. */
    public static final int MAX_HEADER_LENGTH = 60;
    /** The most option space a header has. */
    public static final int MAX_OPTIONS_LENGTH = MAX_HEADER_LENGTH - HEADER_LENGTH;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int SEQUENCE = 4;
    private static final int ACKNOWLEDGMENT = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT_POINTER = 18;


    /**
     * Checks that {@code length} octets at {@code index} of {@code buf} hold a whole header with well-formed
     * options; null if so.
     */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        if (length < HEADER_LENGTH) return Malformed.TRUNCATED;
        int headerLength = (buf.getUnsignedByte(index + DATA_OFFSET) >>> 4) * 4;
        if (headerLength < HEADER_LENGTH) return Malformed.BAD_HEADER_LENGTH;
        if (headerLength > length) return Malformed.TRUNCATED;
        return TcpOption.check(buf, index + HEADER_LENGTH, headerLength - HEADER_LENGTH);
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

    public SeqNum sequenceNumber() {
        return new SeqNum(buf.getInt(start + SEQUENCE));
    }

    /** The acknowledgment field as sent, meaningful only with the ACK flag. */
    public SeqNum acknowledgmentNumber() {
        return new SeqNum(buf.getInt(start + ACKNOWLEDGMENT));
    }

    /** The header length in octets, options included (data offset times 4). */
    public int headerLength() {
        return (buf.getUnsignedByte(start + DATA_OFFSET) >>> 4) * 4;
    }

    /** The eight flag bits, CWR (most significant) to FIN; see the {@code TcpRepr} flag constants. */
    public int flags() {
        return buf.getUnsignedByte(start + FLAGS);
    }

    /** The four reserved bits, which a receiver ignores (RFC 9293 section 3.1). */
    public int reserved() {
        return buf.getUnsignedByte(start + DATA_OFFSET) & 0x0F;
    }

    /** The window field as sent: unscaled. */
    public int window() {
        return buf.getUnsignedShort(start + WINDOW);
    }

    /** The checksum field as sent. */
    public int checksum() {
        return buf.getUnsignedShort(start + CHECKSUM);
    }

    public int urgentPointer() {
        return buf.getUnsignedShort(start + URGENT_POINTER);
    }

    /** The index in {@link #buffer()} where the options start. */
    public int optionsIndex() {
        return start + HEADER_LENGTH;
    }

    /** The length of the option list, padding included. */
    public int optionsLength() {
        return headerLength() - HEADER_LENGTH;
    }

    /** The options, decoded in order, up to and including an End option if there is one. Allocates a new list. */
    public List<TcpOption> options() {
        return TcpOption.decode(buf, optionsIndex(), optionsLength());
    }

    /**
     * Whether the checksum verifies for a segment sent from {@code source} to {@code destination}: the sum over the
     * pseudo-header, header and data is zero. TCP's checksum is mandatory (RFC 9293 section 3.1).
     */
    public boolean checksumValid(Ipv4Address source, Ipv4Address destination) {
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.TCP, length);
        return InternetChecksum.finish(InternetChecksum.add(sum, buf, start, length)) == 0;
    }

    /** The buffer this view is bound to; still owned by whoever passed it to {@link #wrap}. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The length of the whole segment: header and data. */
    public int length() {
        return length;
    }

    /** The index in {@link #buffer()} where the data starts. */
    public int payloadIndex() {
        return start + headerLength();
    }

    /** The length of the data: the region minus the header. */
    public int payloadLength() {
        return length - headerLength();
    }

    /** The data as a slice of {@link #buffer()}: it shares the reference count and is not retained. */
    public ByteBuf payload() {
        return buf.slice(payloadIndex(), payloadLength());
    }
}
