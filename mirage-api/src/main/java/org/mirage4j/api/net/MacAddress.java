package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.util.HexFormat;

/**
 * A 48-bit IEEE 802 MAC address, written {@code 02:00:00:00:00:01}.
 *
 * @param bits the address in the low 48 bits, first octet most significant
 */
public record MacAddress(long bits) {

    /** The length of an address on the wire. */
    public static final int LENGTH = 6;
    /** {@code ff:ff:ff:ff:ff:ff}. */
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    /** {@code 00:00:00:00:00:00}, as in an ARP request's target hardware address. */
    public static final MacAddress ZERO = new MacAddress(0L);

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("A MAC address has 48 bits; 0x" + Long.toHexString(bits) + " has more.");
        }
    }

    /** Parses {@code 02:00:00:00:00:01} (also with {@code -} between the octets). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != LENGTH) throw invalid(text);
        long bits = 0;
        for (String part : parts) {
            if (part.length() != 2 || !HexFormat.isHexDigit(part.charAt(0)) || !HexFormat.isHexDigit(part.charAt(1))) {
                throw invalid(text);
            }
            bits = (bits << 8) | HexFormat.fromHexDigits(part);
        }
        return new MacAddress(bits);
    }

    /** The address in six octets, first octet first. */
    public static MacAddress of(byte[] octets) {
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("A MAC address has 6 octets, not " + octets.length + ".");
        }
        long bits = 0;
        for (byte b : octets) bits = (bits << 8) | (b & 0xFF);
        return new MacAddress(bits);
    }

    /**
     * Reads six octets at {@code index} without moving the reader index.
     * The caller keeps ownership of {@code buf} and must have checked that the bytes are there.
     */
    public static MacAddress readFrom(ByteBuf buf, int index) {
        return new MacAddress(((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2));
    }

    /** Writes six octets at the writer index. The caller keeps ownership of {@code buf}. */
    public void writeTo(ByteBuf buf) {
        buf.writeShort((int) (bits >>> 32));
        buf.writeInt((int) bits);
    }

    /** Writes six octets at {@code index} without moving the writer index. The caller keeps ownership of {@code buf}. */
    public void setAt(ByteBuf buf, int index) {
        buf.setShort(index, (int) (bits >>> 32));
        buf.setInt(index + 2, (int) bits);
    }

    /** The six octets, first octet first. */
    public byte[] octets() {
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) out[i] = (byte) (bits >>> (8 * (LENGTH - 1 - i)));
        return out;
    }

    /** Whether the group bit (least significant bit of the first octet) is set. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    /** Whether the locally administered bit is set, as in addresses a stack makes up for itself. */
    public boolean isLocallyAdministered() {
        return (bits & 0x0200_0000_0000L) != 0;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(octets());
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a MAC address such as 02:00:00:00:00:01.");
    }
}
