package org.mirage4j.api.net;

/** The IP protocol numbers the stack handles (IANA "Assigned Internet Protocol Numbers"). */
public enum IpProtocol {
    ICMP(1),
    TCP(6),
    UDP(17);

    private final int value;

    IpProtocol(int value) {
        this.value = value;
    }

    /** The 8-bit number in the IPv4 protocol field. */
    public int value() {
        return value;
    }
}
