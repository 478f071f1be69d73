package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable string of octets, compared by content: the data of an ICMP message held in its record, so that
 * the record stays a value that owns no buffer.
 */
public final class Octets {

    /** No octets. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte... bytes) {
        return new Octets(bytes.clone());
    }

    /** A copy of {@code length} octets at {@code index} of {@code buf}; the caller keeps ownership of {@code buf}. */
    public static Octets copyOf(ByteBuf buf, int index, int length) {
        byte[] bytes = new byte[length];
        buf.getBytes(index, bytes);
        return new Octets(bytes);
    }

    /** A copy of the readable bytes of {@code buf}, leaving its indexes alone; the caller keeps ownership. */
    public static Octets copyOf(ByteBuf buf) {
        return copyOf(buf, buf.readerIndex(), buf.readableBytes());
    }

    public int length() {
        return bytes.length;
    }

    /** Writes the octets at the writer index of {@code out}; the caller keeps ownership of {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** A copy of the octets. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Octets that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The octets in hexadecimal. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
