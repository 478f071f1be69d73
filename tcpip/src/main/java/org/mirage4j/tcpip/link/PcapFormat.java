package org.mirage4j.tcpip.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * The classic libpcap capture file format, which Wireshark, tshark and tcpdump read (draft-ietf-opsawg-pcap,
 * "PCAP Capture File Format"). A file is a global header followed by one record per frame:
 *
 * <pre>
 *  global header, 24 bytes                  record header, 16 bytes, then incl_len bytes of the frame
 *   0  magic number   0xa1b23c4d             0  timestamp, seconds since 1970 (UTC)
 *   4  major version  2                      4  timestamp, nanoseconds within that second
 *   6  minor version  4                      8  incl_len: bytes of the frame in the file (at most snaplen)
 *   8  reserved       0  (was thiszone)     12  orig_len: bytes of the frame on the link
 *  12  reserved       0  (was sigfigs)
 *  16  snaplen        65535
 *  20  link type      1  (LINKTYPE_ETHERNET)
 * </pre>
 *
 * We write little-endian; readers learn the byte order from the magic number. Magic 0xa1b23c4d says the second
 * timestamp field counts nanoseconds (0xa1b2c3d4 would say microseconds). Pure: encodes into buffers, does no I/O.
 */
final class PcapFormat {

    /** Magic number of a file with nanosecond timestamps. */
    static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    /** Magic number of a file with microsecond timestamps (not written here; readers accept both). */
    static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    static final int VERSION_MAJOR = 2;
    static final int VERSION_MINOR = 4;
    /** The longest frame kept whole; longer ones are cut in the file and keep their length in {@code orig_len}. */
    static final int SNAPLEN = 65_535;
    /** LINKTYPE_ETHERNET: each record starts with an Ethernet II header. */
    static final int LINKTYPE_ETHERNET = 1;
    static final int GLOBAL_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;

    private PcapFormat() {}

    /** The global header of a file of Ethernet frames with nanosecond timestamps. */
    static byte[] globalHeader() {
        ByteBuffer out = ByteBuffer.allocate(GLOBAL_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC_NANOSECONDS)
                .putShort((short) VERSION_MAJOR)
                .putShort((short) VERSION_MINOR)
                .putInt(0)
                .putInt(0)
                .putInt(SNAPLEN)
                .putInt(LINKTYPE_ETHERNET);
        return out.array();
    }

    /**
     * The header of one record.
     *
     * @param time when the frame was seen; seconds are written as an unsigned 32-bit number (until 2106)
     * @param capturedLength bytes of the frame that follow in the file
     * @param originalLength bytes of the frame on the link
     */
    static byte[] recordHeader(Instant time, int capturedLength, int originalLength) {
        ByteBuffer out = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt((int) time.getEpochSecond()).putInt(time.getNano()).putInt(capturedLength).putInt(originalLength);
        return out.array();
    }
}
