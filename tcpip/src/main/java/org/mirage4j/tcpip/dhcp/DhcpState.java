package org.mirage4j.tcpip.dhcp;

/**
 * The states of a DHCP client (RFC 2131 section 4.4, figure 5), without INIT-REBOOT: after a restart the client
 * discovers afresh, asking for its last address.
 */
public enum DhcpState {
    /** Not started yet. */
    INIT,
    /** DISCOVER broadcast, waiting for the first OFFER. */
    SELECTING,
    /** REQUEST broadcast for the address offered, waiting for the server's ACK or NAK. */
    REQUESTING,
    /** The address is ours until T1. */
    BOUND,
    /** Past T1: asking the server that gave the lease to extend it, by unicast. */
    RENEWING,
    /** Past T2: asking any server to extend the lease, by broadcast, until it expires. */
    REBINDING
}
