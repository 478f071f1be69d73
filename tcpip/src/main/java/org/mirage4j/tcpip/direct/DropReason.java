package org.mirage4j.tcpip.direct;

import org.mirage4j.tcpip.wire.Malformed;

/**
 * Why the direct stack dropped a packet: one counter per reason per layer in {@link DirectStats}. The first
 * reasons mirror {@link Malformed} (input that does not parse); the others are well-formed input the stack does
 * not take, and packets it gave up sending.
 */
public enum DropReason {
    /** Shorter than its header, or than a length field claims. */
    TRUNCATED,
    /** IPv4 version other than 4. */
    BAD_VERSION,
    /** IPv4 header length below 20 octets. */
    BAD_HEADER_LENGTH,
    /** A length field smaller than its header. */
    BAD_LENGTH,
    /** A checksum that does not verify. */
    BAD_CHECKSUM,
    /** An IPv4 fragment that cannot be part of a valid datagram: beyond 65535 octets, or not a multiple of 8 octets. */
    BAD_FRAGMENT,
    /** An EtherType the stack does not handle. */
    UNSUPPORTED_ETHER_TYPE,
    /** An IP protocol the stack does not handle. */
    UNSUPPORTED_PROTOCOL,
    /** ARP for other hardware or protocol addresses than Ethernet and IPv4. */
    UNSUPPORTED_ARP_FORMAT,
    /** An ARP operation other than request and reply. */
    UNSUPPORTED_ARP_OPERATION,
    /** An ICMP type the stack does not handle. */
    UNSUPPORTED_ICMP_TYPE,
    /** An ICMP code not defined for its type. */
    UNSUPPORTED_ICMP_CODE,
    /** A message to the DHCP client without the DHCP magic cookie. */
    BAD_MAGIC_COOKIE,
    /** A DHCP message the client does not handle: not for Ethernet, or without a known message type. */
    UNSUPPORTED_DHCP_MESSAGE,
    /** Addressed to another host: another MAC address, or another IPv4 address (the stack does not forward). */
    NOT_FOR_US,
    /** Sent from an address no host may send from: a multicast MAC, or a broadcast or multicast IPv4 address. */
    BAD_SOURCE,
    /** IPv6, which the direct stack does not speak yet. */
    NO_IPV6,
    /** Nothing handles it: a closed UDP port, TCP (not yet on the direct stack), or an ICMP message nobody awaits. */
    NO_LISTENER,
    /** An echo request to a broadcast or multicast address, which RFC 1122 section 3.2.2.6 lets a host ignore. */
    IGNORED_BROADCAST,
    /** An ARP packet claiming one of our addresses for another MAC address (an address conflict). */
    ADDRESS_CONFLICT,
    /** A fragment that repeats one already held, exactly. */
    FRAGMENT_DUPLICATE,
    /** A fragment overlapping another of its datagram: the whole datagram is dropped (RFC 5722's rule, for IPv4). */
    FRAGMENT_OVERLAP,
    /** A datagram whose fragments did not all arrive in time. */
    REASSEMBLY_TIMEOUT,
    /** A datagram dropped to keep reassembly within its bounds of datagrams, bytes and fragments. */
    REASSEMBLY_LIMIT,
    /** A UDP datagram whose port's queue was full, because its handler fell behind. */
    QUEUE_FULL,
    /** A packet waiting for ARP pushed out of its queue by newer ones, or refused because the ARP table is full. */
    ARP_QUEUE_FULL,
    /** A packet that waited for ARP, which gave up: nobody answered for its next hop. */
    UNRESOLVED,
    /** A packet the stack could not send: no route, or the device refused it. */
    SEND_FAILED,
    /** An ICMP error not sent, to keep within the rate limit (RFC 1122 section 3.2.2). */
    RATE_LIMITED,
    /** A frame that arrived after the stack was disconnected. */
    STOPPED,
    /** A frame whose handling failed with an unexpected exception (a bug), caught at the receive loop. */
    INTERNAL_ERROR;

    /** The reason for a wire format's rejection. */
    static DropReason of(Malformed malformed) {
        return switch (malformed) {
            case TRUNCATED -> TRUNCATED;
            case BAD_VERSION -> BAD_VERSION;
            case BAD_HEADER_LENGTH -> BAD_HEADER_LENGTH;
            case BAD_LENGTH -> BAD_LENGTH;
            case BAD_CHECKSUM -> BAD_CHECKSUM;
            case BAD_FRAGMENT -> BAD_FRAGMENT;
            case UNSUPPORTED_ETHER_TYPE -> UNSUPPORTED_ETHER_TYPE;
            case UNSUPPORTED_PROTOCOL -> UNSUPPORTED_PROTOCOL;
            case UNSUPPORTED_ARP_FORMAT -> UNSUPPORTED_ARP_FORMAT;
            case UNSUPPORTED_ARP_OPERATION -> UNSUPPORTED_ARP_OPERATION;
            case UNSUPPORTED_ICMP_TYPE -> UNSUPPORTED_ICMP_TYPE;
            case UNSUPPORTED_ICMP_CODE -> UNSUPPORTED_ICMP_CODE;
            case BAD_MAGIC_COOKIE -> BAD_MAGIC_COOKIE;
            case UNSUPPORTED_DHCP_MESSAGE -> UNSUPPORTED_DHCP_MESSAGE;
        };
    }
}
