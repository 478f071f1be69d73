package org.mirage4j.api.net;

import java.net.InetAddress;

/** An IPv4 or an IPv6 address. */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

    /** Parses {@code 10.0.0.2} or {@code fe80::1}; never looks up a name. */
    static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? Ipv6Address.parse(text) : Ipv4Address.parse(text);
    }

    /** The same address as the JDK's type, for host sockets. */
    InetAddress toInetAddress();

    /** Whether this is the unspecified address ({@code 0.0.0.0} or {@code ::}). */
    boolean isUnspecified();

    /** Whether this is a loopback address ({@code 127.0.0.0/8} or {@code ::1}). */
    boolean isLoopback();

    /** Whether this is a multicast address. */
    boolean isMulticast();

    /** The address of a JDK {@link InetAddress}. */
    static IpAddress of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? Ipv4Address.of(bytes) : Ipv6Address.of(bytes);
    }
}
