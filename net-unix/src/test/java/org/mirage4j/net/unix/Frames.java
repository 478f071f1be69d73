package org.mirage4j.net.unix;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/** Hand-built Ethernet frames for the tests, byte by byte as RFC 826 and RFC 792 lay them out. */
final class Frames {

    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;
    static final int ARP_FRAME_LENGTH = 42;

    private Frames() {}

    /** An ARP packet (RFC 826) for IPv4 over Ethernet, in an Ethernet frame without padding. */
    static byte[] arp(MacAddress ethernetDestination, MacAddress ethernetSource, int operation,
            MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
        ByteBuffer frame = ByteBuffer.allocate(ARP_FRAME_LENGTH);
        frame.put(ethernetDestination.octets()).put(ethernetSource.octets()).putShort((short) ETHERTYPE_ARP);
        frame.putShort((short) 1) // hardware type: Ethernet
                .putShort((short) ETHERTYPE_IPV4) // protocol type: IPv4
                .put((byte) 6).put((byte) 4) // address lengths
                .putShort((short) operation)
                .put(senderMac.octets()).putInt(senderIp.bits())
                .put(targetMac.octets()).putInt(targetIp.bits());
        return frame.array();
    }

    static int etherType(byte[] frame) {
        return frame.length < 14 ? -1 : ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
    }

    static boolean isArp(byte[] frame, int operation) {
        return frame.length >= ARP_FRAME_LENGTH && etherType(frame) == ETHERTYPE_ARP
                && (((frame[20] & 0xFF) << 8) | (frame[21] & 0xFF)) == operation;
    }

    /** Whether the frame holds an IPv4 ICMP message of the given type (8: echo request). */
    static boolean isIcmp(byte[] frame, int type) {
        return frame.length >= 14 + 20 + 8 && etherType(frame) == ETHERTYPE_IPV4 && frame[14 + 9] == 1
                && (frame[14 + ((frame[14] & 0x0F) * 4)] & 0xFF) == type;
    }

    /**
     * The echo reply (RFC 792) to an echo request frame: addresses swapped, type 0, checksum
     * recomputed. Swapping the IP addresses leaves the IP header checksum as it is.
     */
    static byte[] echoReply(byte[] request) {
        byte[] reply = request.clone();
        System.arraycopy(request, 6, reply, 0, 6);
        System.arraycopy(request, 0, reply, 6, 6);
        System.arraycopy(request, 14 + 12, reply, 14 + 16, 4);
        System.arraycopy(request, 14 + 16, reply, 14 + 12, 4);
        int icmp = 14 + (request[14] & 0x0F) * 4;
        int icmpLength = (((request[16] & 0xFF) << 8) | (request[17] & 0xFF)) - (icmp - 14);
        reply[icmp] = 0;
        reply[icmp + 2] = 0;
        reply[icmp + 3] = 0;
        int sum = internetChecksum(reply, icmp, icmpLength);
        reply[icmp + 2] = (byte) (sum >>> 8);
        reply[icmp + 3] = (byte) sum;
        return reply;
    }

    /** RFC 1071: the ones' complement of the ones' complement sum of 16-bit words. */
    static int internetChecksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xFF;
            int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }

    static String hex(byte[] frame) {
        return HexFormat.of().formatHex(frame);
    }
}
