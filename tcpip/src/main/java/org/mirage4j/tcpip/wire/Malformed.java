package org.mirage4j.tcpip.wire;

/**
 * Why a region of bytes was not accepted as a packet of some format. The stack counts these and drops the packet.
 *
 * <p>The {@code UNSUPPORTED_*} reasons are for input that is well formed but that this stack does not handle;
 * they are reported only after every other check of the same header has passed, so the caller may still answer
 * (for example with an ICMP protocol unreachable).
 */
public enum Malformed {
    /** The region is shorter than the fixed header, or than the length a header field claims. */
    TRUNCATED,
    /** The IPv4 version field is not 4. */
    BAD_VERSION,
    /** The IPv4 header length (IHL) or the TCP data offset is below its minimum of five 32-bit words. */
    BAD_HEADER_LENGTH,
    /**
     * A length field is smaller than the header it belongs to (IPv4 total length, UDP length, a TCP option's length
     * below its own two octets), or a known TCP or DHCP option has a length other than its kind's.
     */
    BAD_LENGTH,
    /** The checksum does not verify. */
    BAD_CHECKSUM,
    /** An IPv4 fragment would end beyond the largest datagram, 65535 octets (RFC 791 section 3.2). */
    BAD_FRAGMENT,
    /** The Ethernet type is not one of {@link org.mirage4j.api.net.EtherType}. */
    UNSUPPORTED_ETHER_TYPE,
    /** The IPv4 protocol is not one of {@link org.mirage4j.api.net.IpProtocol}. */
    UNSUPPORTED_PROTOCOL,
    /** The ARP packet is not for Ethernet hardware and IPv4 addresses. */
    UNSUPPORTED_ARP_FORMAT,
    /** The ARP operation is neither request nor reply. */
    UNSUPPORTED_ARP_OPERATION,
    /** The ICMP type is not echo request or reply, destination unreachable, or time exceeded. */
    UNSUPPORTED_ICMP_TYPE,
    /** The ICMP code is not defined for its type. */
    UNSUPPORTED_ICMP_CODE,
    /** A BOOTP message without the DHCP magic cookie (RFC 2131 section 3): plain BOOTP, or not BOOTP at all. */
    BAD_MAGIC_COOKIE,
    /**
     * A DHCP message this stack does not handle: not for Ethernet addresses, without a known message type, or
     * whose BOOTP operation does not match its message type.
     */
    UNSUPPORTED_DHCP_MESSAGE;

    /** The one {@link Parsed.Rejected} for this reason, shared so that rejecting allocates nothing. */
    final Parsed.Rejected<?> rejected = new Parsed.Rejected<>(this);
}
