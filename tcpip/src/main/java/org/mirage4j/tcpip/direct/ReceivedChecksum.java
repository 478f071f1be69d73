package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * What the {@link VirtioNetHeader} in front of a received frame says about its checksums, for a stack whose device
 * has checksum offload on. The device vouches for a frame when it verified its checksums ({@code DATA_VALID}) or when
 * the frame comes from the local host, whose kernel left the transport checksum partial for "the hardware" to finish
 * ({@code NEEDS_CSUM}): such a frame never crossed a wire. A partial checksum is the sum of the pseudo-header only,
 * which no verification passes, so each one is either trusted as it is (a TCP segment in an IPv4 datagram: TCP skips
 * verifying it) or finished here (anything else: UDP then verifies it as usual).
 *
 * <p>Reads the header in front of the frame's reader index, so it must run before anything moves it. Borrows the
 * frame; never throws on malformed input.
 */
final class ReceivedChecksum {

    /** The frame's checksums are to be verified as usual. */
    static final int VERIFY = 0;
    /** The device vouched for the frame: a TCP segment in it need not be verified. */
    static final int VOUCHED = 1;
    /** The header's checksum offsets fall outside the frame: drop it. */
    static final int MALFORMED = 2;

    private static final int IPV4_PROTOCOL = 9;

    private ReceivedChecksum() {}

    /**
     * Classifies {@code frame} (the device's frame, reader index at its Ethernet header) and finishes a partial
     * checksum that TCP would not skip.
     *
     * @return {@link #VERIFY}, {@link #VOUCHED} or {@link #MALFORMED}
     */
    static int check(ByteBuf frame) {
        int flags = VirtioNetHeader.flags(frame);
        if ((flags & VirtioNetHeader.F_NEEDS_CSUM) == 0) {
            return (flags & VirtioNetHeader.F_DATA_VALID) != 0 ? VOUCHED : VERIFY;
        }
        if (coversTcpOverIpv4(frame)) return VOUCHED;
        return finish(frame) ? VOUCHED : MALFORMED;
    }

    /** Whether the partial checksum is the TCP checksum of an IPv4 datagram's payload. */
    private static boolean coversTcpOverIpv4(ByteBuf frame) {
        int at = frame.readerIndex();
        int ip = EthernetFrame.HEADER_LENGTH;
        if (frame.readableBytes() < ip + 20 || frame.getUnsignedShort(at + 12) != EtherType.IPV4.value()) return false;
        int ipHeaderLength = (frame.getUnsignedByte(at + ip) & 0x0F) * 4;
        return frame.getUnsignedByte(at + ip + IPV4_PROTOCOL) == IpProtocol.TCP.value()
                && VirtioNetHeader.checksumStart(frame) == ip + ipHeaderLength
                && VirtioNetHeader.checksumOffset(frame) == TcpRepr.CHECKSUM_OFFSET;
    }

    /**
     * Finishes the partial checksum in place, as the kernel's {@code skb_checksum_help} does: sums from
     * {@code csum_start} to the end (the field holds the pseudo-header's sum) and stores the complement, 0xFFFF for
     * 0 (UDP's "no checksum" would otherwise be read into it).
     *
     * @return false if the offsets fall outside the frame
     */
    static boolean finish(ByteBuf frame) {
        int start = VirtioNetHeader.checksumStart(frame);
        int field = start + VirtioNetHeader.checksumOffset(frame);
        int length = frame.readableBytes();
        if (start < EthernetFrame.HEADER_LENGTH || field + 2 > length) return false;
        int from = frame.readerIndex() + start;
        int checksum = InternetChecksum.finish(InternetChecksum.add(0, frame, from, length - start));
        frame.setShort(frame.readerIndex() + field, checksum == 0 ? 0xFFFF : checksum);
        return true;
    }
}
