package org.mirage4j.api.net;

/** The EtherTypes the stack handles (IEEE 802 numbers). */
public enum EtherType {
    IPV4(0x0800),
    ARP(0x0806),
    IPV6(0x86DD);

    private final int value;

    EtherType(int value) {
        this.value = value;
    }

    /** The 16-bit number in the Ethernet header. */
    public int value() {
        return value;
    }
}
