package org.mirage4j.api.net;

/**
 * An IPv4 address with the length of its network prefix, written {@code 10.0.0.2/24}, as in
 * MirageOS's {@code --ipv4} key: the address is kept as given (it is the stack's own address),
 * and {@link #network()} gives the network it lies in.
 *
 * @param address the address as written, host bits included
 * @param length the prefix length, 0 to 32
 */
public record Ipv4Prefix(Ipv4Address address, int length) {

    public Ipv4Prefix {
        if (address == null) throw new IllegalArgumentException("An IPv4 prefix needs an address.");
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("An IPv4 prefix length is 0 to 32, not " + length + ".");
        }
    }

    /** Parses {@code 10.0.0.2/24}. */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw invalid(text);
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) throw invalid(text);
        int length = Integer.parseInt(len);
        if (length > 32) throw invalid(text);
        try {
            return new Ipv4Prefix(Ipv4Address.parse(text.substring(0, slash)), length);
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    /** The netmask, such as {@code 255.255.255.0} for a length of 24. */
    public Ipv4Address netmask() {
        return new Ipv4Address(maskBits());
    }

    /** The network address: {@link #address()} with the host bits cleared. */
    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & maskBits());
    }

    /** The directed broadcast address of the network. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~maskBits());
    }

    /** Whether {@code other} lies in this prefix's network. */
    public boolean contains(Ipv4Address other) {
        return (other.bits() & maskBits()) == (address.bits() & maskBits());
    }

    private int maskBits() {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 prefix such as 10.0.0.2/24.");
    }
}
