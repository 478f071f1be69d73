package org.mirage4j.tcpip.dhcp;

/**
 * The counters of a {@link DhcpClient} since it was made.
 *
 * @param sent messages sent: DISCOVERs and REQUESTs, retransmissions included
 * @param offers OFFERs taken (the first of each discovery)
 * @param acks ACKs that gave or extended a lease
 * @param naks NAKs that made the client start again
 * @param malformed messages that did not parse as DHCP: dropped
 * @param ignored well-formed messages not for this exchange (another transaction id or client, a type the state
 *     does not expect, another server) or unusable (an offer without a server identifier, an ACK without a lease
 *     time or a valid subnet mask): dropped
 * @param expired leases that ran out before a server extended them
 */
public record DhcpStats(long sent, long offers, long acks, long naks, long malformed, long ignored, long expired) {}
