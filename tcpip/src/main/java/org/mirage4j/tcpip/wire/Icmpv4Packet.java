package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A checked, zero-copy view of an ICMPv4 message (RFC 792), the whole payload of an IPv4 packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Rest of Header                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Data ...
 * </pre>
 *
 * <p>The rest of the header depends on the type: an echo request or reply has a 16-bit identifier and a 16-bit
 * sequence number; a destination unreachable has 16 unused bits and the next-hop MTU (RFC 1191, only with
 * "fragmentation needed"); a time exceeded has 32 unused bits. An error message's data is the start of the
 * datagram that caused it. The checksum covers the whole message, which ends where the region ends.
 *
 * <p>The view borrows the buffer: it never retains or releases it. Bind it with {@link #wrap}; after a
 * successful {@code wrap} no accessor throws. A view is reusable and belongs to one thread at a time.
 */
public final class Icmpv4Packet extends WireView {

    /** The length of the header: type, code, checksum and the 4-octet rest of header. */
    public static final int HEADER_LENGTH = 8;

    static final int TYPE_ECHO_REPLY = 0;
    static final int TYPE_DESTINATION_UNREACHABLE = 3;
    static final int TYPE_ECHO_REQUEST = 8;
    static final int TYPE_TIME_EXCEEDED = 11;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE_NUMBER = 6;
    private static final int NEXT_HOP_MTU = 6;
    private static final int REST_OF_HEADER = 4;


    /** Checks that {@code length} octets at {@code index} of {@code buf} hold a whole header; null if so. */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        return length < HEADER_LENGTH ? Malformed.TRUNCATED : null;
    }

    @Override
    Malformed problem(ByteBuf buf, int index, int length) {
        return check(buf, index, length);
    }



    public int type() {
        return buf.getUnsignedByte(start + TYPE);
    }

    public int code() {
        return buf.getUnsignedByte(start + CODE);
    }

    /** The checksum field as sent. */
    public int checksum() {
        return buf.getUnsignedShort(start + CHECKSUM);
    }

    /** The four octets after the checksum, whatever the type. */
    public int restOfHeader() {
        return buf.getInt(start + REST_OF_HEADER);
    }

    /** The identifier of an echo request or reply. */
    public int identifier() {
        return buf.getUnsignedShort(start + IDENTIFIER);
    }

    /** The sequence number of an echo request or reply. */
    public int sequenceNumber() {
        return buf.getUnsignedShort(start + SEQUENCE_NUMBER);
    }

    /** The next-hop MTU of a "fragmentation needed" message; zero from routers older than RFC 1191. */
    public int nextHopMtu() {
        return buf.getUnsignedShort(start + NEXT_HOP_MTU);
    }

    /** Whether the checksum over the whole message verifies. */
    public boolean checksumValid() {
        return InternetChecksum.compute(buf, start, length) == 0;
    }

    /** The buffer this view is bound to; still owned by whoever passed it to {@link #wrap}. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} where the data starts. */
    public int dataIndex() {
        return start + HEADER_LENGTH;
    }

    /** The length of the data. */
    public int dataLength() {
        return length - HEADER_LENGTH;
    }

    /** The data as a slice of {@link #buffer()}: it shares the reference count and is not retained. */
    public ByteBuf data() {
        return buf.slice(dataIndex(), dataLength());
    }
}
