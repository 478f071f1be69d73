package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.MacAddress;

/**
 * A checked, zero-copy view of an Ethernet II frame (RFC 894; IEEE 802.3 with a Type field), without preamble
 * or frame check sequence, as a tap or virtio-net device delivers it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Destination Address                      |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                        Source Address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  Payload ...                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The payload is everything after the header. A frame shorter than 60 octets is padded by the sender, so the
 * payload may end with padding; the layer above knows its own length (IPv4's total length) and ignores it.
 *
 * <p>The view borrows the buffer: it never retains or releases it. Bind it with {@link #wrap}; after a
 * successful {@code wrap} no accessor throws. A view is reusable and belongs to one thread at a time.
 */
public final class EthernetFrame extends WireView {

    /** The length of the header: two addresses and the EtherType. */
    public static final int HEADER_LENGTH = 14;

    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int ETHER_TYPE = 12;


    /** Checks that {@code length} octets at {@code index} of {@code buf} hold an Ethernet header; null if so. */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        return length < HEADER_LENGTH ? Malformed.TRUNCATED : null;
    }

    @Override
    Malformed problem(ByteBuf buf, int index, int length) {
        return check(buf, index, length);
    }



    public MacAddress destination() {
        return MacAddress.readFrom(buf, start + DESTINATION);
    }

    public MacAddress source() {
        return MacAddress.readFrom(buf, start + SOURCE);
    }

    /** The raw 16-bit EtherType field. */
    public int etherType() {
        return buf.getUnsignedShort(start + ETHER_TYPE);
    }

    /** The buffer this view is bound to; still owned by whoever passed it to {@link #wrap}. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} where the payload starts. */
    public int payloadIndex() {
        return start + HEADER_LENGTH;
    }

    /** The length of the payload, padding included. */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** The payload as a slice of {@link #buffer()}: it shares the reference count and is not retained. */
    public ByteBuf payload() {
        return buf.slice(payloadIndex(), payloadLength());
    }
}
