package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of 16-bit words.
 *
 * <p>Sums are built in pieces so that a checksum can span discontiguous data, as UDP and TCP need: start from
 * {@code 0} or from {@link #pseudoHeader}, {@link #add} each piece, then {@link #finish}. A sum is a {@code long}
 * of unfolded partial sums; adding 32-bit words and folding at the end gives the same result as adding 16-bit
 * words (RFC 1071 section 2, "parallel summation"), with room for far more than 64 KiB of data.
 *
 * <pre>{@code
 * long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.UDP, length);
 * sum = InternetChecksum.add(sum, buf, udpStart, length);   // checksum field zero when computing
 * int checksum = InternetChecksum.finish(sum);             // or 0 when verifying a correct packet
 * }</pre>
 *
 * <p>Every piece but the last must have an even length: an odd piece pads with a zero octet, which shifts the
 * words of the next piece. The caller keeps ownership of every buffer passed in; nothing is retained or released.
 */
public final class InternetChecksum {

    private InternetChecksum() {}

    /**
     * Adds {@code length} octets at {@code index} of {@code buf} to {@code sum}, without moving any index.
     * An odd last octet counts as the high octet of a word whose low octet is zero.
     */
    public static long add(long sum, ByteBuf buf, int index, int length) {
        if (length >= 16 && buf.nioBufferCount() == 1) {
            // One view of the region rather than a bounds-checked (and, under the leak detector, recorded) ByteBuf
            // access per word: the view's reads are plain loads. The buffer's internal view, read with absolute
            // gets only, costs no allocation where nioBuffer() would make a ByteBuffer per call.
            ByteBuffer view = buf.internalNioBuffer(index, length);
            if (view.order() == ByteOrder.BIG_ENDIAN) return add(sum, view);
        }
        int end = index + length;
        int i = index;
        for (; i + 4 <= end; i += 4) sum += buf.getUnsignedInt(i);
        if (i + 2 <= end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) sum += buf.getUnsignedByte(i) << 8;
        return sum;
    }

    /** Adds the remaining octets of {@code data} (big-endian, as a ByteBuf view gives them) without moving it. */
    private static long add(long sum, ByteBuffer data) {
        int i = data.position();
        int end = data.limit();
        // Two 32-bit words per load; their sum cannot overflow the long for any IP datagram's length.
        for (; i + 8 <= end; i += 8) {
            long words = data.getLong(i);
            sum += (words >>> 32) + (words & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= end; i += 2) sum += data.getShort(i) & 0xFFFF;
        if (i < end) sum += (data.get(i) & 0xFF) << 8;
        return sum;
    }

    /** Adds one 16-bit word to {@code sum}. */
    public static long addWord(long sum, int word) {
        return sum + (word & 0xFFFF);
    }

    /**
     * The sum of the IPv4 pseudo-header that UDP and TCP checksums cover (RFC 768; RFC 793 section 3.1):
     * source and destination address, zero, protocol, and the length of the UDP or TCP header plus data.
     */
    public static long pseudoHeader(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int length) {
        return Integer.toUnsignedLong(source.bits()) + Integer.toUnsignedLong(destination.bits())
                + protocol.value() + (length & 0xFFFF);
    }

    /** Folds the carries of {@code sum} back into 16 bits (the ones' complement sum, not yet complemented). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) sum;
    }

    /**
     * The checksum field value for {@code sum}: its folded ones' complement. Over data that already holds a
     * correct checksum the result is {@code 0}.
     */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** The checksum of {@code length} octets at {@code index}: {@code finish(add(0, buf, index, length))}. */
    public static int compute(ByteBuf buf, int index, int length) {
        return finish(add(0, buf, index, length));
    }

    /**
     * The checksum after one 16-bit word it covers changed from {@code oldWord} to {@code newWord}, without
     * summing the data again (RFC 1624 equation 3: {@code HC' = ~(~HC + ~m + m')}).
     */
    public static int update(int checksum, int oldWord, int newWord) {
        return finish((~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF));
    }
}
