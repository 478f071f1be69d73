package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.Ipv4Address;

/**
 * A checked, zero-copy view of an IPv4 packet (RFC 791 section 3.1; the Type of Service octet as DSCP and ECN,
 * RFC 2474 and RFC 3168).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Payload ...
 * </pre>
 *
 * <p>IHL is the header length in 32-bit words; options, if any, are skipped (the payload starts after IHL words).
 * D is "don't fragment", M "more fragments"; the fragment offset counts 8-octet units.
 *
 * <p>{@link #wrap} checks that the header fits, that IHL is at least 5 and that IHL &le; total length &le; the
 * region. The total length wins over the region: octets after it (Ethernet padding) are not part of the packet.
 * It does not check version or checksum: that is {@link Ipv4Repr#parse}'s job.
 *
 * <p>The view borrows the buffer: it never retains or releases it. After a successful {@code wrap} no accessor
 * throws. A view is reusable and belongs to one thread at a time.
 */
public final class Ipv4Packet extends WireView {

    /** The length of a header without options (IHL 5). */
    public static final int HEADER_LENGTH = 20;
    /** The largest total length the 16-bit field can hold. */
    public static final int MAX_LENGTH = 0xFFFF;

    private static final int VERSION_IHL = 0;
    private static final int DSCP_ECN = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT_OFFSET = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;

    static final int FLAG_DONT_FRAGMENT = 0x4000;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;


    /**
     * Checks that {@code length} octets at {@code index} of {@code buf} hold a header and the whole packet its
     * lengths claim; null if so.
     */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        if (length < HEADER_LENGTH) return Malformed.TRUNCATED;
        int headerLength = (buf.getUnsignedByte(index + VERSION_IHL) & 0x0F) * 4;
        if (headerLength < HEADER_LENGTH) return Malformed.BAD_HEADER_LENGTH;
        int totalLength = buf.getUnsignedShort(index + TOTAL_LENGTH);
        if (totalLength < headerLength) return Malformed.BAD_LENGTH;
        if (totalLength > length) return Malformed.TRUNCATED;
        return null;
    }

    @Override
    Malformed problem(ByteBuf buf, int index, int length) {
        return check(buf, index, length);
    }



    public int version() {
        return buf.getUnsignedByte(start + VERSION_IHL) >>> 4;
    }

    /** The header length in octets, options included (IHL times 4). */
    public int headerLength() {
        return (buf.getUnsignedByte(start + VERSION_IHL) & 0x0F) * 4;
    }

    /** The Differentiated Services codepoint, the high six bits of the second octet. */
    public int dscp() {
        return buf.getUnsignedByte(start + DSCP_ECN) >>> 2;
    }

    /** The Explicit Congestion Notification bits, the low two bits of the second octet. */
    public int ecn() {
        return buf.getUnsignedByte(start + DSCP_ECN) & 0x03;
    }

    /** The length of header and payload in octets. */
    public int totalLength() {
        return buf.getUnsignedShort(start + TOTAL_LENGTH);
    }

    public int identification() {
        return buf.getUnsignedShort(start + IDENTIFICATION);
    }

    public boolean dontFragment() {
        return (buf.getUnsignedShort(start + FLAGS_FRAGMENT_OFFSET) & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (buf.getUnsignedShort(start + FLAGS_FRAGMENT_OFFSET) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Where this fragment's payload belongs in the original datagram, in octets (a multiple of 8). */
    public int fragmentOffset() {
        return (buf.getUnsignedShort(start + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK) * 8;
    }

    public int ttl() {
        return buf.getUnsignedByte(start + TTL);
    }

    /** The raw protocol number of the payload. */
    public int protocol() {
        return buf.getUnsignedByte(start + PROTOCOL);
    }

    /** The header checksum field as sent. */
    public int checksum() {
        return buf.getUnsignedShort(start + CHECKSUM);
    }

    public Ipv4Address source() {
        return Ipv4Address.readFrom(buf, start + SOURCE);
    }

    public Ipv4Address destination() {
        return Ipv4Address.readFrom(buf, start + DESTINATION);
    }

    /** Whether the header checksum verifies (RFC 791: the checksum over the header, options included, is zero). */
    public boolean checksumValid() {
        return InternetChecksum.compute(buf, start, headerLength()) == 0;
    }

    /** The buffer this view is bound to; still owned by whoever passed it to {@link #wrap}. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} where the payload starts, after any options. */
    public int payloadIndex() {
        return start + headerLength();
    }

    /** The length of the payload: total length minus header length. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** The payload as a slice of {@link #buffer()}: it shares the reference count and is not retained. */
    public ByteBuf payload() {
        return buf.slice(payloadIndex(), payloadLength());
    }
}
