package org.mirage4j.api.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 address, written in the canonical text form of RFC 5952 ({@code fe80::1}).
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 */
public record Ipv6Address(long high, long low) implements IpAddress {

    public static final int LENGTH = 16;
    public static final Ipv6Address ANY = new Ipv6Address(0, 0);
    public static final Ipv6Address LOCALHOST = new Ipv6Address(0, 1);

    /** The low 64 bits of {@code ::ffff:0.0.0.0}: IPv4-mapped addresses (RFC 4291 section 2.5.5.2) have them. */
    private static final long IPV4_MAPPED_PREFIX = 0xFFFF_0000_0000L;

    /** Parses any RFC 4291 text form (without brackets or a {@code %zone}); never looks up a name. */
    public static Ipv6Address parse(String text) {
        // ofLiteral parses without a name lookup, but it also accepts IPv4 text, brackets, and zones (looking up
        // the interface a zone names): we refuse those.
        if (text.indexOf(':') < 0 || text.indexOf('%') >= 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0) {
            throw invalid(text);
        }
        InetAddress address;
        try {
            address = Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
        // ofLiteral turns IPv4-mapped addresses (::ffff:10.0.0.2, ::ffff:a00:2) into Inet4Address.
        if (address instanceof Inet4Address mapped) {
            int ipv4 = Ipv4Address.of(mapped.getAddress()).bits();
            return new Ipv6Address(0, IPV4_MAPPED_PREFIX | Integer.toUnsignedLong(ipv4));
        }
        return of(address.getAddress());
    }

    public static Ipv6Address of(byte[] octets) {
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("An IPv6 address has 16 octets, not " + octets.length + ".");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) high = (high << 8) | (octets[i] & 0xFF);
        for (int i = 8; i < 16; i++) low = (low << 8) | (octets[i] & 0xFF);
        return new Ipv6Address(high, low);
    }

    public byte[] octets() {
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (high >>> (56 - 8 * i));
            out[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return out;
    }

    @Override
    public Inet6Address toInetAddress() {
        try {
            // Not InetAddress.getByAddress: it turns an IPv4-mapped address into an Inet4Address. No zone (-1).
            return Inet6Address.getByAddress(null, octets(), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("sixteen octets are always a valid IPv6 address", e);
        }
    }

    @Override
    public boolean isUnspecified() {
        return high == 0 && low == 0;
    }

    @Override
    public boolean isLoopback() {
        return high == 0 && low == 1;
    }

    @Override
    public boolean isMulticast() {
        return (high >>> 56) == 0xFF;
    }

    /**
     * RFC 5952 section 4: lower case, no leading zeros, the first longest run (two or more) of zero groups as
     * {@code ::}; and, as section 5 recommends, an IPv4-mapped address as {@code ::ffff:192.0.2.1}.
     */
    @Override
    public String toString() {
        if (high == 0 && (low & ~0xFFFF_FFFFL) == IPV4_MAPPED_PREFIX) {
            return "::ffff:" + new Ipv4Address((int) low);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            groups[4 + i] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 section 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv6 address such as fe80::1.");
    }
}
