package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/**
 * A checked, zero-copy view of a DHCP message (RFC 2131 section 2): the BOOTP header, the magic cookie and the
 * options (RFC 2132), as carried in a UDP datagram between ports 68 and 67.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 * +---------------+---------------+---------------+---------------+
 * |                            xid (4)                            |
 * +-------------------------------+-------------------------------+
 * |           secs (2)            |           flags (2)           |
 * +-------------------------------+-------------------------------+
 * |                          ciaddr  (4)                          |
 * +---------------------------------------------------------------+
 * |                          yiaddr  (4)                          |
 * +---------------------------------------------------------------+
 * |                          siaddr  (4)                          |
 * +---------------------------------------------------------------+
 * |                          giaddr  (4)                          |
 * +---------------------------------------------------------------+
 * |                          chaddr  (16)                         |
 * +---------------------------------------------------------------+
 * |                          sname   (64)                         |
 * +---------------------------------------------------------------+
 * |                          file    (128)                        |
 * +---------------------------------------------------------------+
 * |                  magic cookie 99.130.83.99 (4)                |
 * +---------------------------------------------------------------+
 * |                          options (variable)                   |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>An option is a code octet, then, except for Pad (0) and End (255), a length octet and that many octets of
 * data (RFC 2132 section 2). {@link #wrap} checks that the region holds the 240 octets up to the options and the
 * cookie, and that every option's data stays inside the region; the list ends at an End option or at the end of
 * the region, and what follows an End is padding. Options in {@code sname} and {@code file} (the overload option,
 * RFC 2132 section 9.3) are not looked at.
 *
 * <p>The view borrows the buffer: it never retains or releases it. After a successful {@code wrap} no accessor
 * throws. A view is reusable and belongs to one thread at a time.
 */
public final class DhcpPacket extends WireView {

    /** The BOOTP operation of a message from a client. */
    public static final int OP_REQUEST = 1;
    /** The BOOTP operation of a message from a server. */
    public static final int OP_REPLY = 2;
    /** The hardware type of Ethernet (IANA "ARP Parameters", as in ARP). */
    public static final int HARDWARE_ETHERNET = 1;
    /** The magic cookie that starts the options of a DHCP message (RFC 2131 section 3): 99.130.83.99. */
    public static final int MAGIC_COOKIE = 0x6382_5363;
    /** The length of everything before the first option: the BOOTP header and the cookie. */
    public static final int HEADER_LENGTH = 240;
    /** The broadcast bit of {@code flags} (RFC 2131 section 2, figure 2). */
    public static final int FLAG_BROADCAST = 0x8000;

    public static final int OPTION_PAD = 0;
    public static final int OPTION_SUBNET_MASK = 1;
    public static final int OPTION_ROUTER = 3;
    public static final int OPTION_DNS_SERVER = 6;
    public static final int OPTION_REQUESTED_IP = 50;
    public static final int OPTION_LEASE_TIME = 51;
    public static final int OPTION_OVERLOAD = 52;
    public static final int OPTION_MESSAGE_TYPE = 53;
    public static final int OPTION_SERVER_ID = 54;
    public static final int OPTION_PARAMETER_REQUEST_LIST = 55;
    public static final int OPTION_MESSAGE = 56;
    public static final int OPTION_RENEWAL_TIME = 58;
    public static final int OPTION_REBINDING_TIME = 59;
    public static final int OPTION_CLIENT_ID = 61;
    public static final int OPTION_END = 255;

    private static final int OP = 0;
    private static final int HARDWARE_TYPE = 1;
    private static final int HARDWARE_LENGTH = 2;
    private static final int HOPS = 3;
    private static final int TRANSACTION_ID = 4;
    private static final int SECS = 8;
    private static final int FLAGS = 10;
    private static final int CLIENT_IP = 12;
    private static final int YOUR_IP = 16;
    private static final int SERVER_IP = 20;
    private static final int RELAY_AGENT_IP = 24;
    static final int CLIENT_HARDWARE_ADDRESS = 28; // 16 octets, then sname (64) and file (128)
    static final int COOKIE = 236;

    private int optionsEnd;

    /** Checks that {@code length} octets at {@code index} of {@code buf} hold a whole DHCP message; null if so. */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        if (length < HEADER_LENGTH) return Malformed.TRUNCATED;
        if (buf.getInt(index + COOKIE) != MAGIC_COOKIE) return Malformed.BAD_MAGIC_COOKIE;
        return optionsEnd(buf, index + HEADER_LENGTH, index + length) < 0 ? Malformed.TRUNCATED : null;
    }

    @Override
    Malformed problem(ByteBuf buf, int index, int length) {
        return check(buf, index, length);
    }

    @Override
    void bound() {
        optionsEnd = optionsEnd(buf, start + HEADER_LENGTH, start + length);
    }

    /**
     * Where the option list from {@code from} ends: at its End option, or at {@code to}; -1 if an option's length
     * runs past {@code to}. Looks at each option once, so the work is bounded by the region's length.
     */
    private static int optionsEnd(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to) {
            int code = buf.getUnsignedByte(i);
            if (code == OPTION_END) return i;
            if (code == OPTION_PAD) {
                i++;
                continue;
            }
            if (i + 1 >= to) return -1;
            i += 2 + buf.getUnsignedByte(i + 1);
            if (i > to) return -1;
        }
        return to;
    }



    /** The BOOTP operation: {@link #OP_REQUEST} or {@link #OP_REPLY} in a valid message. */
    public int op() {
        return buf.getUnsignedByte(start + OP);
    }

    /** The hardware type; {@link #HARDWARE_ETHERNET} for Ethernet. */
    public int hardwareType() {
        return buf.getUnsignedByte(start + HARDWARE_TYPE);
    }

    /** The length of the hardware address in {@code chaddr}; 6 for Ethernet. */
    public int hardwareLength() {
        return buf.getUnsignedByte(start + HARDWARE_LENGTH);
    }

    /** Relay agents passed through; clients send 0. */
    public int hops() {
        return buf.getUnsignedByte(start + HOPS);
    }

    /** The transaction id, {@code xid}, that pairs replies with requests. */
    public int transactionId() {
        return buf.getInt(start + TRANSACTION_ID);
    }

    /** Seconds since the client began acquiring or renewing its address. */
    public int secs() {
        return buf.getUnsignedShort(start + SECS);
    }

    /** The flags field; only {@link #FLAG_BROADCAST} is defined. */
    public int flags() {
        return buf.getUnsignedShort(start + FLAGS);
    }

    /** {@code ciaddr}: the client's address, when it has one and can answer ARP for it. */
    public Ipv4Address clientIp() {
        return Ipv4Address.readFrom(buf, start + CLIENT_IP);
    }

    /** {@code yiaddr}: the address the server gives the client. */
    public Ipv4Address yourIp() {
        return Ipv4Address.readFrom(buf, start + YOUR_IP);
    }

    /** {@code siaddr}: the next server to boot from (not the DHCP server's identifier). */
    public Ipv4Address serverIp() {
        return Ipv4Address.readFrom(buf, start + SERVER_IP);
    }

    /** {@code giaddr}: the relay agent's address, or 0.0.0.0. */
    public Ipv4Address relayAgentIp() {
        return Ipv4Address.readFrom(buf, start + RELAY_AGENT_IP);
    }

    /** The first six octets of {@code chaddr}: the client's MAC address when {@link #hardwareLength()} is 6. */
    public MacAddress clientMac() {
        return MacAddress.readFrom(buf, start + CLIENT_HARDWARE_ADDRESS);
    }

    /** The buffer this view is bound to; still owned by whoever passed it to {@link #wrap}. */
    public ByteBuf buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} of the first option, after the cookie. */
    public int optionsIndex() {
        return start + HEADER_LENGTH;
    }

    /**
     * The index in {@link #buffer()} where the option list ends: its End option, or the end of the region. Between
     * {@link #optionsIndex()} and here lie Pad octets and whole options whose data {@link #wrap} checked.
     */
    public int optionsEnd() {
        return optionsEnd;
    }
}
