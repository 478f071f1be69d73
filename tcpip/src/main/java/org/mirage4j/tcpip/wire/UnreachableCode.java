package org.mirage4j.tcpip.wire;

/**
 * The codes of an ICMP destination unreachable message: why a datagram could not be delivered
 * (RFC 792; codes 6 to 12 from RFC 1122 section 3.2.2.1; 13 to 15 from RFC 1812 section 5.2.7.1).
 */
public enum UnreachableCode {
    NET_UNREACHABLE(0),
    HOST_UNREACHABLE(1),
    PROTOCOL_UNREACHABLE(2),
    /** No application listens on the UDP destination port (RFC 1122 section 4.1.3.1). */
    PORT_UNREACHABLE(3),
    /** The datagram was larger than the next hop's MTU and had DF set; the message carries that MTU (RFC 1191). */
    FRAGMENTATION_NEEDED(4),
    SOURCE_ROUTE_FAILED(5),
    DESTINATION_NETWORK_UNKNOWN(6),
    DESTINATION_HOST_UNKNOWN(7),
    SOURCE_HOST_ISOLATED(8),
    NETWORK_ADMINISTRATIVELY_PROHIBITED(9),
    HOST_ADMINISTRATIVELY_PROHIBITED(10),
    NETWORK_UNREACHABLE_FOR_TOS(11),
    HOST_UNREACHABLE_FOR_TOS(12),
    COMMUNICATION_ADMINISTRATIVELY_PROHIBITED(13),
    HOST_PRECEDENCE_VIOLATION(14),
    PRECEDENCE_CUTOFF_IN_EFFECT(15);

    private static final UnreachableCode[] BY_VALUE = values();

    private final int value;

    UnreachableCode(int value) {
        this.value = value;
    }

    /** The 8-bit code field. */
    public int value() {
        return value;
    }

    /** The code numbered {@code value}, or {@code null} if none is defined. */
    static UnreachableCode of(int value) {
        // The constants are declared in order of their values, 0 to 15.
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
