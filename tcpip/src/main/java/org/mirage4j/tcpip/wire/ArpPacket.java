package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/**
 * A checked, zero-copy view of an ARP packet for Ethernet hardware and IPv4 addresses (RFC 826).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Hardware Type         |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hw Length   |  Proto Length |           Operation           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender Hardware Address (octets 0-3)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Sender Hw Addr (octets 4-5)  | Sender Proto Addr (octets 0-1)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Sender Proto Addr (octets 2-3)|  Target Hw Addr (octets 0-1)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Target Hardware Address (octets 2-5)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Target Protocol Address                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The address fields sit at the offsets above only when the hardware length is 6 and the protocol length is 4;
 * {@link ArpRepr#parse} checks that. Anything after the 28 octets (Ethernet padding) is ignored.
 *
 * <p>The view borrows the buffer: it never retains or releases it. Bind it with {@link #wrap}; after a
 * successful {@code wrap} no accessor throws. A view is reusable and belongs to one thread at a time.
 */
public final class ArpPacket extends WireView {

    /** The length of an ARP packet for Ethernet and IPv4. */
    public static final int LENGTH = 28;
    /** The hardware type of Ethernet (IANA "ARP Parameters"). */
    public static final int HARDWARE_ETHERNET = 1;

    private static final int HARDWARE_TYPE = 0;
    private static final int PROTOCOL_TYPE = 2;
    private static final int HARDWARE_LENGTH = 4;
    private static final int PROTOCOL_LENGTH = 5;
    private static final int OPERATION = 6;
    private static final int SENDER_MAC = 8;
    private static final int SENDER_IP = 14;
    private static final int TARGET_MAC = 18;
    private static final int TARGET_IP = 24;


    /** Checks that {@code length} octets at {@code index} of {@code buf} hold a whole packet; null if so. */
    public static Malformed check(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.writerIndex());
        return length < LENGTH ? Malformed.TRUNCATED : null;
    }

    @Override
    Malformed problem(ByteBuf buf, int index, int length) {
        return check(buf, index, length);
    }



    public int hardwareType() {
        return buf.getUnsignedShort(start + HARDWARE_TYPE);
    }

    /** The protocol type, an EtherType ({@code 0x0800} for IPv4). */
    public int protocolType() {
        return buf.getUnsignedShort(start + PROTOCOL_TYPE);
    }

    public int hardwareLength() {
        return buf.getUnsignedByte(start + HARDWARE_LENGTH);
    }

    public int protocolLength() {
        return buf.getUnsignedByte(start + PROTOCOL_LENGTH);
    }

    /** The raw operation field ({@code 1} request, {@code 2} reply). */
    public int operation() {
        return buf.getUnsignedShort(start + OPERATION);
    }

    public MacAddress senderMac() {
        return MacAddress.readFrom(buf, start + SENDER_MAC);
    }

    public Ipv4Address senderIp() {
        return Ipv4Address.readFrom(buf, start + SENDER_IP);
    }

    public MacAddress targetMac() {
        return MacAddress.readFrom(buf, start + TARGET_MAC);
    }

    public Ipv4Address targetIp() {
        return Ipv4Address.readFrom(buf, start + TARGET_IP);
    }
}
