package org.mirage4j.tcpip.wire;

/**
 * The DHCP message type, option 53 (RFC 2132 section 9.6), with the BOOTP operation each type travels in
 * (RFC 2131 section 3.1: clients send requests, servers send replies).
 */
public enum DhcpMessageType {
    DISCOVER(1, DhcpPacket.OP_REQUEST),
    OFFER(2, DhcpPacket.OP_REPLY),
    REQUEST(3, DhcpPacket.OP_REQUEST),
    DECLINE(4, DhcpPacket.OP_REQUEST),
    ACK(5, DhcpPacket.OP_REPLY),
    NAK(6, DhcpPacket.OP_REPLY),
    RELEASE(7, DhcpPacket.OP_REQUEST),
    INFORM(8, DhcpPacket.OP_REQUEST);

    private static final DhcpMessageType[] VALUES = values();

    private final int value;
    private final int operation;

    DhcpMessageType(int value, int operation) {
        this.value = value;
        this.operation = operation;
    }

    /** The value of option 53. */
    public int value() {
        return value;
    }

    /** The BOOTP {@code op} of a message of this type: {@link DhcpPacket#OP_REQUEST} or {@link DhcpPacket#OP_REPLY}. */
    public int operation() {
        return operation;
    }

    /** The type whose option 53 value is {@code value}, or {@code null} if none is. */
    public static DhcpMessageType of(int value) {
        return value >= 1 && value <= VALUES.length ? VALUES[value - 1] : null;
    }
}
