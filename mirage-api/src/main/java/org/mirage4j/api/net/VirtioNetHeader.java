package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;

/**
 * The per-frame offload metadata in front of a frame of a device with {@link Offloads} on: virtio's
 * {@code struct virtio_net_hdr} in its 12-octet version 1 layout (virtio 1.2 section 5.1.6), which Linux's tap
 * device ({@code IFF_VNET_HDR}) and virtio-net both use. Fields are little-endian.
 *
 * <pre>
 *  0        1          2         4          6            8             10            12
 *  +--------+----------+---------+----------+------------+-------------+-------------+----------------------+
 *  | flags  | gso_type | hdr_len | gso_size | csum_start | csum_offset | num_buffers | frame (Ethernet ...) |
 *  +--------+----------+---------+----------+------------+-------------+-------------+----------------------+
 *                                                                                    ^ the frame's reader index
 * </pre>
 *
 * <p>Where it lives: in the {@link #LENGTH} octets just before the reader index of the frame as the device hands it
 * to the {@link Network#listen} handler, or to the {@link Network#write} filler. The frame's readable bytes are the
 * frame alone, so code that knows nothing of offloads works unchanged; code that wants the header reads or writes
 * it before it moves the reader index. {@code csum_start} counts from the frame's first octet (the Ethernet header).
 *
 * <p>Every method borrows the buffer: nothing is retained, released, or moved. Call them only on frames of a device
 * whose {@link Network#enableOffloads} turned an offload on; on other frames the octets in front are not a header
 * (or not there: an {@link IndexOutOfBoundsException}).
 */
public final class VirtioNetHeader {

    /** The header's length in front of the frame. */
    public static final int LENGTH = 12;

    /** {@code flags}: the checksum is partial: sum from {@code csum_start} to the end, store at {@code csum_offset}. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code flags}, received frames: the device verified the checksums of the packet. */
    public static final int F_DATA_VALID = 2;

    /** {@code gso_type}: an ordinary frame. */
    public static final int GSO_NONE = 0;
    /** {@code gso_type}: a TCP/IPv4 frame to cut (or that was coalesced) into segments of {@code gso_size} octets. */
    public static final int GSO_TCPV4 = 1;
    /** {@code gso_type}: a TCP/IPv6 frame to cut (or coalesced). */
    public static final int GSO_TCPV6 = 4;
    /** {@code gso_type} bit: the TCP segments carry ECN's CWR flag. */
    public static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;

    private VirtioNetHeader() {}

    /** The {@code flags} of {@code frame}'s header. */
    public static int flags(ByteBuf frame) {
        return frame.getUnsignedByte(start(frame) + FLAGS);
    }

    /** Whether the device vouches for {@code frame}'s checksums: verified ({@code DATA_VALID}) or partial ({@code NEEDS_CSUM}). */
    public static boolean checksumVouched(ByteBuf frame) {
        return (flags(frame) & (F_NEEDS_CSUM | F_DATA_VALID)) != 0;
    }

    /** The {@code gso_type} of {@code frame}'s header. */
    public static int gsoType(ByteBuf frame) {
        return frame.getUnsignedByte(start(frame) + GSO_TYPE);
    }

    /** The {@code gso_size} of {@code frame}'s header: the payload of each segment it was or is to be cut into. */
    public static int gsoSize(ByteBuf frame) {
        return frame.getUnsignedShortLE(start(frame) + GSO_SIZE);
    }

    /** The {@code csum_start} of {@code frame}'s header, from the frame's first octet. */
    public static int checksumStart(ByteBuf frame) {
        return frame.getUnsignedShortLE(start(frame) + CSUM_START);
    }

    /** The {@code csum_offset} of {@code frame}'s header, from {@code csum_start}. */
    public static int checksumOffset(ByteBuf frame) {
        return frame.getUnsignedShortLE(start(frame) + CSUM_OFFSET);
    }

    /** Zeroes the header: an ordinary frame with a complete checksum. */
    public static void clear(ByteBuf frame) {
        frame.setZero(start(frame), LENGTH);
    }

    /**
     * Asks the device to finish the frame's checksum: the field at {@code start + offset} holds the folded sum of the
     * pseudo-header (not complemented); the device adds the octets from {@code start} to the end and stores the
     * complement there.
     *
     * @param start from the frame's first octet: where the checksummed part (the TCP or UDP header) begins
     * @param offset of the checksum field from {@code start}: 16 for TCP, 6 for UDP
     */
    public static void requestChecksum(ByteBuf frame, int start, int offset) {
        int at = start(frame);
        frame.setByte(at + FLAGS, frame.getUnsignedByte(at + FLAGS) | F_NEEDS_CSUM);
        frame.setShortLE(at + CSUM_START, start);
        frame.setShortLE(at + CSUM_OFFSET, offset);
    }

    /**
     * Asks the device to cut the frame into segments of {@code segmentSize} octets of payload, each behind a copy of
     * the first {@code headerLength} octets (with lengths, sequence numbers, IDs and checksums fixed up, and FIN and
     * PSH on the last segment only, as Linux's GSO does). Needs {@link #requestChecksum} as well.
     *
     * @param type {@link #GSO_TCPV4} or {@link #GSO_TCPV6}
     * @param headerLength the Ethernet, IP and TCP headers' length
     */
    public static void requestSegmentation(ByteBuf frame, int type, int headerLength, int segmentSize) {
        int at = start(frame);
        frame.setByte(at + GSO_TYPE, type);
        frame.setShortLE(at + HDR_LEN, headerLength);
        frame.setShortLE(at + GSO_SIZE, segmentSize);
    }

    private static int start(ByteBuf frame) {
        return frame.readerIndex() - LENGTH;
    }
}
