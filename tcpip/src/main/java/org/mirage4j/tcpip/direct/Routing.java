package org.mirage4j.tcpip.direct;

import java.net.NoRouteToHostException;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;

/**
 * Where IPv4 datagrams go, for a host with one interface (RFC 1122 section 3.3.1): destinations in our prefix are
 * on the link, everything else goes to the default gateway if there is one. Also says which destinations are ours
 * to receive. Pure: no state beyond the configuration.
 *
 * <p>{@link #UNCONFIGURED} stands for a stack without an address yet (DHCP has not given one): its address is
 * 0.0.0.0, the source a DHCP client sends from (RFC 2131 section 4.1), and it routes nothing.
 *
 * @param prefix our address and the prefix of the link
 * @param gateway the default gateway, on the link; {@code null} for none
 */
record Routing(Ipv4Prefix prefix, Ipv4Address gateway) {

    /** The all-hosts group, which every host that speaks IP multicast belongs to (RFC 1112 section 4). */
    static final Ipv4Address ALL_HOSTS = Ipv4Address.of(224, 0, 0, 1);
    /** No address yet: 0.0.0.0/32, without a gateway. */
    static final Routing UNCONFIGURED = new Routing(new Ipv4Prefix(Ipv4Address.ANY, 32), null);

    /** Whether the stack has an address. */
    boolean isConfigured() {
        return !prefix.address().isUnspecified();
    }

    /** Our own address. */
    Ipv4Address address() {
        return prefix.address();
    }

    /**
     * The address to resolve with ARP for sending to {@code destination} (RFC 1122 section 3.3.1.1): the
     * destination itself on the link, else the gateway.
     *
     * @throws NoRouteToHostException when it is off the link and there is no gateway
     */
    Ipv4Address nextHop(Ipv4Address destination) throws NoRouteToHostException {
        if (!isConfigured()) throw notConfigured(destination);
        if (prefix.contains(destination)) return destination;
        if (gateway != null) return gateway;
        throw new NoRouteToHostException("No route to " + destination + ": it is outside " + prefix
                + " and no gateway is set; give one with --ipv4-gateway.");
    }

    /** Why nothing can be sent to {@code destination} while the stack has no address. */
    static NoRouteToHostException notConfigured(Ipv4Address destination) {
        return new NoRouteToHostException("No route to " + destination
                + ": the stack has no IPv4 address yet, as no DHCP server has given one; wait for a lease, or give a static --ipv4.");
    }

    /** Whether {@code address} is the limited broadcast or our link's directed broadcast (RFC 919, RFC 922). */
    boolean isBroadcast(Ipv4Address address) {
        return address.isBroadcast() || (prefix.length() < 31 && address.equals(prefix.broadcast()));
    }

    /** Whether a datagram to {@code destination} is ours to receive: our address, a broadcast, or all hosts. */
    boolean accepts(Ipv4Address destination) {
        return (isConfigured() && destination.equals(prefix.address())) || isBroadcast(destination) || destination.equals(ALL_HOSTS);
    }

    /** The MAC address of an IPv4 multicast group: 01:00:5e and the group's low 23 bits (RFC 1112 section 6.4). */
    static MacAddress multicastMac(Ipv4Address group) {
        return new MacAddress(0x0100_5E00_0000L | (group.bits() & 0x7F_FFFF));
    }
}
