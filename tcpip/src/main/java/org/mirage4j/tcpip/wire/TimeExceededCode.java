package org.mirage4j.tcpip.wire;

/** The codes of an ICMP time exceeded message (RFC 792). */
public enum TimeExceededCode {
    /** A router dropped the datagram because its time to live reached zero. */
    TTL_EXCEEDED_IN_TRANSIT(0),
    /** The receiver gave up reassembling the datagram before all its fragments arrived. */
    FRAGMENT_REASSEMBLY_TIME_EXCEEDED(1);

    private final int value;

    TimeExceededCode(int value) {
        this.value = value;
    }

    /** The 8-bit code field. */
    public int value() {
        return value;
    }

    /** The code numbered {@code value}, or {@code null} if none is defined. */
    static TimeExceededCode of(int value) {
        return switch (value) {
            case 0 -> TTL_EXCEEDED_IN_TRANSIT;
            case 1 -> FRAGMENT_REASSEMBLY_TIME_EXCEEDED;
            default -> null;
        };
    }
}
