package org.mirage4j.api.net;

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

    /** Parses any RFC 4291 text form; never looks up a name. */
    public static Ipv6Address parse(String text) {
        try {
            // ofLiteral parses without a name lookup; it also accepts IPv4 text, which we refuse.
            if (text.indexOf(':') < 0) throw invalid(text);
            InetAddress address = Inet6Address.ofLiteral(text);
            if (!(address instanceof Inet6Address)) throw invalid(text);
            return of(address.getAddress());
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
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
            return (Inet6Address) InetAddress.getByAddress(octets());
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

    /** RFC 5952 section 4: lower case, no leading zeros, the longest run (two or more) of zero groups as {@code ::}. */
    @Override
    public String toString() {
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
