/**
 * The DHCP client of the direct stack (RFC 2131, options from RFC 2132), as a state machine that does no I/O and
 * reads no clock: {@link org.mirage4j.tcpip.dhcp.DhcpClient} takes received messages and the time, and gives back
 * the messages to send, the lease changes to apply and its next deadline. Messages are parsed and emitted by
 * {@link org.mirage4j.tcpip.wire.DhcpPacket} and {@link org.mirage4j.tcpip.wire.DhcpRepr}.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Malformed messages, and well-formed ones not for the exchange in progress (another transaction id or client
 *       hardware address, a type the state does not expect), are counted in {@link org.mirage4j.tcpip.dhcp.DhcpStats}
 *       and dropped; nothing a server sends makes the client throw. The work per message is bounded by its length.</li>
 *   <li>Transaction ids and retransmission jitter come from the injected {@link org.mirage4j.api.Random}, so a test
 *       with a seeded one is repeatable.</li>
 *   <li>Nothing here retains or releases a buffer: the caller owns what it passes in.</li>
 *   <li>Not thread-safe: the owner (the direct stack's {@code DhcpIpv4Source}) serialises the calls.</li>
 * </ul>
 *
 * <p>Not done: INIT-REBOOT (after losing a lease the client discovers again, asking for its last address), the ARP
 * probe of an offered address before using it and DHCPDECLINE (RFC 2131 section 4.4.1, a SHOULD), DHCPRELEASE on
 * shutdown, and options carried in {@code sname} and {@code file} (overload).
 */
package org.mirage4j.tcpip.dhcp;
