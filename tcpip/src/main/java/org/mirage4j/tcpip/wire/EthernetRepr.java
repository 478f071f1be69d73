package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.MacAddress;

/**
 * What an Ethernet II header means: who sent the frame, to whom, and what it carries.
 *
 * @param source the sender's address
 * @param destination the receiver's address, or a broadcast or multicast address
 * @param etherType what the payload is
 */
public record EthernetRepr(MacAddress source, MacAddress destination, EtherType etherType) {

    private static final EtherType[] ETHER_TYPES = EtherType.values();

    public EthernetRepr {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(etherType, "etherType");
    }

    /** The meaning of a bound frame; rejects an EtherType this stack does not handle (VLAN tags included). */
    public static Parsed<EthernetRepr> parse(EthernetFrame frame) {
        EtherType type = etherType(frame.etherType());
        if (type == null) return Parsed.rejected(Malformed.UNSUPPORTED_ETHER_TYPE);
        return Parsed.ok(new EthernetRepr(frame.source(), frame.destination(), type));
    }

    /** The length of the header {@link #emit} writes. */
    public int headerLength() {
        return EthernetFrame.HEADER_LENGTH;
    }

    /** The length of a frame carrying {@code payloadLength} octets. */
    public int bufferLength(int payloadLength) {
        return EthernetFrame.HEADER_LENGTH + payloadLength;
    }

    /** Writes the header at the writer index of {@code out}; the caller keeps ownership and writes the payload. */
    public void emit(ByteBuf out) {
        destination.writeTo(out);
        source.writeTo(out);
        out.writeShort(etherType.value());
    }

    private static EtherType etherType(int value) {
        for (EtherType type : ETHER_TYPES) {
            if (type.value() == value) return type;
        }
        return null;
    }
}
