package org.mirage4j.net.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Finishes a checksum the device left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO 1.2 §5.1.6.4.1): the field at
 * {@code csum_start + csum_offset} holds the sum of the pseudo-header, and the octets from {@code csum_start} to the
 * end of the frame are still to be added (the Internet checksum, RFC 1071). This is what Linux's
 * {@code skb_checksum_help} does for a device without checksum offload; the driver does it for a stack that did not
 * ask for offloads, so that the stack sees frames whose checksums are whole.
 */
final class PartialChecksum {

    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PartialChecksum() {}

    /**
     * Finishes the checksum of the {@code length}-octet frame at the start of {@code frame}.
     *
     * @param start {@code csum_start}: from the frame's first octet
     * @param offset {@code csum_offset}: of the checksum field from {@code start}
     * @return false, changing nothing, when the field does not lie inside the frame (a device that got it wrong)
     */
    static boolean finish(MemorySegment frame, int length, int start, int offset) {
        int field = start + offset;
        if (start < 0 || offset < 0 || field + 2 > length) return false;
        long sum = 0;
        int i = start;
        for (; i + 2 <= length; i += 2) sum += frame.get(BIG_ENDIAN_SHORT, i) & 0xFFFF;
        if (i < length) sum += (frame.get(ValueLayout.JAVA_BYTE, i) & 0xFF) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        int checksum = ~(int) sum & 0xFFFF;
        // A computed 0 is sent as 0xFFFF, its other ones' complement form: for UDP, 0 means "no checksum" (RFC 768).
        frame.set(BIG_ENDIAN_SHORT, field, (short) (checksum == 0 ? 0xFFFF : checksum));
        return true;
    }
}
