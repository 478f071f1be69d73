package org.mirage4j.tcpip.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.Ipv6Address;

/**
 * The host address the socket stack serves on: one IPv4 address, or every host address (IPv4 and,
 * where the host allows, IPv6) when the key's address is {@code 0.0.0.0}.
 *
 * <p>The prefix length does not matter here: the host routes, not us. Immutable; any thread.
 */
record ServeAddress(Ipv4Prefix prefix) {

    /** Whether the stack serves on every host address (the wildcard bind). */
    boolean everyAddress() {
        return prefix.address().isUnspecified();
    }

    /** The address to bind a listening socket on {@code port} to. */
    InetSocketAddress bindAddress(int port) {
        // new InetSocketAddress(port) is the JDK's wildcard: "::" with IPV6_V6ONLY off (dual-stack)
        // when the host has IPv6, "0.0.0.0" otherwise.
        return everyAddress() ? new InetSocketAddress(port) : new InetSocketAddress(prefix.address().toInetAddress(), port);
    }

    /** An unbound UDP channel: of the JDK's default family (dual-stack) for the wildcard, IPv4 otherwise. */
    DatagramChannel openDatagramChannel() throws IOException {
        return everyAddress() ? DatagramChannel.open() : DatagramChannel.open(StandardProtocolFamily.INET);
    }

    /** What {@link org.mirage4j.api.net.StackV4V6#addresses()} reports. */
    List<IpAddress> addresses() {
        return List.of(prefix.address());
    }

    /**
     * The local address an outgoing TCP connection or UDP socket to {@code destination} binds to
     * before it connects or sends, or {@code null} to let the host choose.
     *
     * @throws IllegalArgumentException when the stack serves on one IPv4 address and
     *     {@code destination} is IPv6
     */
    InetSocketAddress outgoingBindAddress(IpAddress destination) {
        if (everyAddress()) return null;
        if (!(destination instanceof Ipv4Address)) {
            throw new IllegalArgumentException("This stack serves on " + prefix.address()
                    + " only and cannot reach the IPv6 address " + destination
                    + ": start it with --ipv4=0.0.0.0/0 to use every host address.");
        }
        return new InetSocketAddress(prefix.address().toInetAddress(), 0);
    }

    /**
     * The address a datagram from {@code sender} was sent to, as far as the host's socket API tells:
     * the stack's address, or the unspecified address of the sender's family for the wildcard bind.
     */
    IpAddress receivedOn(InetAddress sender) {
        if (!everyAddress()) return prefix.address();
        return IpAddress.of(sender) instanceof Ipv4Address ? Ipv4Address.ANY : Ipv6Address.ANY;
    }

    @Override
    public String toString() {
        return everyAddress() ? "every host address" : prefix.address().toString();
    }
}
