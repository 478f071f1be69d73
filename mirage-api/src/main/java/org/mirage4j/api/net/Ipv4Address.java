package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address, written {@code 10.0.0.2}.
 *
 * @param bits the address, first octet most significant
 */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {

    /** The length of an address on the wire. */
    public static final int LENGTH = 4;
    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFF_FFFF);
    public static final Ipv4Address LOCALHOST = new Ipv4Address(0x7F00_0001);

    /** Parses dotted-quad text: four decimal octets, no leading zeros beyond a single {@code 0}. */
    public static Ipv4Address parse(String text) {
        int bits = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int value = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3) throw invalid(text);
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) throw invalid(text);
            bits = (bits << 8) | value;
            octets++;
            if (i == n) break;
            if (text.charAt(i) != '.' || octets == 4) throw invalid(text);
            i++;
        }
        if (octets != 4) throw invalid(text);
        return new Ipv4Address(bits);
    }

    public static Ipv4Address of(int a, int b, int c, int d) {
        for (int o : new int[] {a, b, c, d}) {
            if (o < 0 || o > 255) throw new IllegalArgumentException("An IPv4 octet is 0 to 255, not " + o + ".");
        }
        return new Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
    }

    /** The address in four octets, first octet first. */
    public static Ipv4Address of(byte[] octets) {
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("An IPv4 address has 4 octets, not " + octets.length + ".");
        }
        return new Ipv4Address(((octets[0] & 0xFF) << 24) | ((octets[1] & 0xFF) << 16)
                | ((octets[2] & 0xFF) << 8) | (octets[3] & 0xFF));
    }

    /**
     * Reads four octets at {@code index} without moving the reader index.
     * The caller keeps ownership of {@code buf} and must have checked that the bytes are there.
     */
    public static Ipv4Address readFrom(ByteBuf buf, int index) {
        return new Ipv4Address(buf.getInt(index));
    }

    /** Writes four octets at the writer index. The caller keeps ownership of {@code buf}. */
    public void writeTo(ByteBuf buf) {
        buf.writeInt(bits);
    }

    public byte[] octets() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    @Override
    public Inet4Address toInetAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(octets());
        } catch (UnknownHostException e) {
            throw new AssertionError("four octets are always a valid IPv4 address", e);
        }
    }

    @Override
    public boolean isUnspecified() {
        return bits == 0;
    }

    @Override
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    @Override
    public boolean isMulticast() {
        return (bits >>> 28) == 0xE;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF) + "." + (bits & 0xFF);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 address such as 10.0.0.2.");
    }
}
