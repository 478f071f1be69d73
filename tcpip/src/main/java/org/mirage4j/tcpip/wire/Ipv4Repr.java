package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;

/**
 * What an IPv4 header means (RFC 791), fragmentation fields included since the stack fragments and reassembles.
 * Options are not represented: {@link #parse} skips them and {@link #emit} writes none.
 *
 * @param source the sender's address
 * @param destination the receiver's address
 * @param protocol what the payload is
 * @param payloadLength the length of the payload in octets (of this fragment, if it is one)
 * @param ttl time to live, 0 to 255
 * @param dscp Differentiated Services codepoint, 0 to 63 (RFC 2474)
 * @param ecn Explicit Congestion Notification, 0 to 3 (RFC 3168)
 * @param identification the 16-bit value that groups the fragments of one datagram (RFC 6864)
 * @param dontFragment the DF flag: routers must drop rather than fragment this datagram
 * @param moreFragments the MF flag: more fragments of this datagram follow this one
 * @param fragmentOffset where this payload belongs in the datagram, in octets, a multiple of 8
 */
public record Ipv4Repr(
        Ipv4Address source,
        Ipv4Address destination,
        IpProtocol protocol,
        int payloadLength,
        int ttl,
        int dscp,
        int ecn,
        int identification,
        boolean dontFragment,
        boolean moreFragments,
        int fragmentOffset) {

    /** The largest payload a packet without options can carry. */
    public static final int MAX_PAYLOAD_LENGTH = Ipv4Packet.MAX_LENGTH - Ipv4Packet.HEADER_LENGTH;

    private static final IpProtocol[] PROTOCOLS = IpProtocol.values();

    public Ipv4Repr {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        checkRange("payloadLength", payloadLength, MAX_PAYLOAD_LENGTH);
        checkRange("ttl", ttl, 0xFF);
        checkRange("dscp", dscp, 0x3F);
        checkRange("ecn", ecn, 0x03);
        checkRange("identification", identification, 0xFFFF);
        checkRange("fragmentOffset", fragmentOffset, Ipv4Packet.FRAGMENT_OFFSET_MASK * 8);
        if (fragmentOffset % 8 != 0) {
            throw new IllegalArgumentException(
                    "fragmentOffset counts 8-octet units; " + fragmentOffset + " is not a multiple of 8.");
        }
        if (fragmentOffset + payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("A fragment at " + fragmentOffset + " with " + payloadLength
                    + " octets ends beyond the largest datagram payload, " + MAX_PAYLOAD_LENGTH + " octets.");
        }
    }

    /**
     * The meaning of a bound packet. Rejects a version other than 4, a wrong header checksum, a fragment that
     * would end beyond 65535 octets, and, only when the header is otherwise valid, a protocol this stack does not
     * handle (so the caller may answer with an ICMP protocol unreachable). Header and total length were checked
     * by {@link Ipv4Packet#wrap}.
     */
    public static Parsed<Ipv4Repr> parse(Ipv4Packet packet) {
        if (packet.version() != 4) return Parsed.rejected(Malformed.BAD_VERSION);
        if (!packet.checksumValid()) return Parsed.rejected(Malformed.BAD_CHECKSUM);
        // RFC 791 section 3.2: a datagram is at most 65535 octets; a fragment beyond that cannot be reassembled.
        if (packet.fragmentOffset() + packet.payloadLength() > MAX_PAYLOAD_LENGTH) {
            return Parsed.rejected(Malformed.BAD_FRAGMENT);
        }
        IpProtocol protocol = protocol(packet.protocol());
        if (protocol == null) return Parsed.rejected(Malformed.UNSUPPORTED_PROTOCOL);
        return Parsed.ok(new Ipv4Repr(
                packet.source(),
                packet.destination(),
                protocol,
                packet.payloadLength(),
                packet.ttl(),
                packet.dscp(),
                packet.ecn(),
                packet.identification(),
                packet.dontFragment(),
                packet.moreFragments(),
                packet.fragmentOffset()));
    }

    /** Whether this is a fragment of a larger datagram rather than a whole one. */
    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** The length of the header {@link #emit} writes: 20 octets, as it writes no options. */
    public int headerLength() {
        return Ipv4Packet.HEADER_LENGTH;
    }

    /** The length of the whole packet: header and payload. */
    public int bufferLength() {
        return Ipv4Packet.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes the header, checksum included, at the writer index of {@code out}. The caller keeps ownership of
     * {@code out} and then writes {@link #payloadLength} octets of payload.
     */
    public void emit(ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(0x40 | (Ipv4Packet.HEADER_LENGTH / 4));
        out.writeByte((dscp << 2) | ecn);
        out.writeShort(bufferLength());
        out.writeShort(identification);
        out.writeShort((dontFragment ? Ipv4Packet.FLAG_DONT_FRAGMENT : 0)
                | (moreFragments ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0)
                | (fragmentOffset / 8));
        out.writeByte(ttl);
        out.writeByte(protocol.value());
        int checksumIndex = out.writerIndex();
        out.writeShort(0);
        source.writeTo(out);
        destination.writeTo(out);
        out.setShort(checksumIndex, InternetChecksum.compute(out, start, Ipv4Packet.HEADER_LENGTH));
    }

    private static IpProtocol protocol(int value) {
        for (IpProtocol protocol : PROTOCOLS) {
            if (protocol.value() == value) return protocol;
        }
        return null;
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0 to " + max + ", not " + value + ".");
        }
    }
}
