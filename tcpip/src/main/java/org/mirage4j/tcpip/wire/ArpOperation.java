package org.mirage4j.tcpip.wire;

/** The ARP operations this stack handles (RFC 826, "ar$op"). */
public enum ArpOperation {
    /** Who has the target protocol address? */
    REQUEST(1),
    /** The sender has the sender protocol address. */
    REPLY(2);

    private final int value;

    ArpOperation(int value) {
        this.value = value;
    }

    /** The 16-bit number in the operation field. */
    public int value() {
        return value;
    }

    /** The operation numbered {@code value}, or {@code null} if this stack does not handle it. */
    static ArpOperation of(int value) {
        return switch (value) {
            case 1 -> REQUEST;
            case 2 -> REPLY;
            default -> null;
        };
    }
}
