package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * What an ICMPv4 message means (RFC 792): the messages this stack answers or sends. Each message holds its data
 * as {@link Octets}: the echo data, or the start of the datagram an error is about. The IPv4 packet that carries
 * a message bounds its length ({@link Ipv4Repr#MAX_PAYLOAD_LENGTH}).
 */
public sealed interface Icmpv4Repr {

    /**
     * How much of the offending datagram an error should quote: RFC 1812 section 4.3.2.3 asks for as much as fits
     * in a 576-octet IPv4 packet, that is 576 minus the 20-octet IPv4 and the 8-octet ICMP header.
     */
    int MAX_QUOTED_LENGTH = 576 - Ipv4Packet.HEADER_LENGTH - Icmpv4Packet.HEADER_LENGTH;

    /** The length of the message {@link #emit} writes. */
    default int bufferLength() {
        return Icmpv4Packet.HEADER_LENGTH + data().length();
    }

    /** The data after the 8-octet header. */
    Octets data();

    /** Writes the message, checksum included, at the writer index of {@code out}; the caller keeps ownership. */
    default void emit(ByteBuf out) {
        switch (this) {
            case EchoRequest m ->
                    write(out, Icmpv4Packet.TYPE_ECHO_REQUEST, 0, echo(m.identifier, m.sequenceNumber), m.data);
            case EchoReply m ->
                    write(out, Icmpv4Packet.TYPE_ECHO_REPLY, 0, echo(m.identifier, m.sequenceNumber), m.data);
            case DestinationUnreachable m ->
                    write(out, Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, m.code.value(), m.nextHopMtu, m.data);
            case TimeExceeded m -> write(out, Icmpv4Packet.TYPE_TIME_EXCEEDED, m.code.value(), 0, m.data);
        }
    }

    /**
     * The meaning of a bound message. Rejects a wrong checksum, then a type or code this stack does not handle:
     * echo request and reply must have code 0, destination unreachable codes 0 to 15, time exceeded 0 or 1.
     */
    static Parsed<Icmpv4Repr> parse(Icmpv4Packet packet) {
        if (!packet.checksumValid()) return Parsed.rejected(Malformed.BAD_CHECKSUM);
        int code = packet.code();
        return switch (packet.type()) {
            case Icmpv4Packet.TYPE_ECHO_REQUEST -> code != 0
                    ? Parsed.rejected(Malformed.UNSUPPORTED_ICMP_CODE)
                    : Parsed.ok(new EchoRequest(packet.identifier(), packet.sequenceNumber(), data(packet)));
            case Icmpv4Packet.TYPE_ECHO_REPLY -> code != 0
                    ? Parsed.rejected(Malformed.UNSUPPORTED_ICMP_CODE)
                    : Parsed.ok(new EchoReply(packet.identifier(), packet.sequenceNumber(), data(packet)));
            case Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE -> {
                UnreachableCode reason = UnreachableCode.of(code);
                if (reason == null) yield Parsed.rejected(Malformed.UNSUPPORTED_ICMP_CODE);
                // The MTU field is "unused" for every other code (RFC 1191 section 4); senders may leave junk.
                int mtu = reason == UnreachableCode.FRAGMENTATION_NEEDED ? packet.nextHopMtu() : 0;
                yield Parsed.ok(new DestinationUnreachable(reason, mtu, data(packet)));
            }
            case Icmpv4Packet.TYPE_TIME_EXCEEDED -> {
                TimeExceededCode reason = TimeExceededCode.of(code);
                if (reason == null) yield Parsed.rejected(Malformed.UNSUPPORTED_ICMP_CODE);
                yield Parsed.ok(new TimeExceeded(reason, data(packet)));
            }
            default -> Parsed.rejected(Malformed.UNSUPPORTED_ICMP_TYPE);
        };
    }

    /**
     * An echo request ("ping", type 8).
     *
     * @param identifier chosen by the sender to match replies, 0 to 65535
     * @param sequenceNumber chosen by the sender to match replies, 0 to 65535
     * @param data whatever the sender put in; the reply returns it unchanged
     */
    record EchoRequest(int identifier, int sequenceNumber, Octets data) implements Icmpv4Repr {
        public EchoRequest {
            checkU16("identifier", identifier);
            checkU16("sequenceNumber", sequenceNumber);
            Objects.requireNonNull(data, "data");
        }

        /** The reply RFC 792 asks for: same identifier, sequence number and data. */
        public EchoReply reply() {
            return new EchoReply(identifier, sequenceNumber, data);
        }
    }

    /**
     * An echo reply (type 0).
     *
     * @param identifier as in the request
     * @param sequenceNumber as in the request
     * @param data as in the request
     */
    record EchoReply(int identifier, int sequenceNumber, Octets data) implements Icmpv4Repr {
        public EchoReply {
            checkU16("identifier", identifier);
            checkU16("sequenceNumber", sequenceNumber);
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A destination unreachable error (type 3).
     *
     * @param code why the datagram was not delivered
     * @param nextHopMtu the MTU that was too small, with {@link UnreachableCode#FRAGMENTATION_NEEDED} (zero if
     *     unknown); zero with every other code
     * @param data the start of the datagram that could not be delivered: its IPv4 header and at least 8 octets
     *     of its payload (RFC 1122 section 3.2.2), as received
     */
    record DestinationUnreachable(UnreachableCode code, int nextHopMtu, Octets data) implements Icmpv4Repr {
        public DestinationUnreachable {
            Objects.requireNonNull(code, "code");
            checkU16("nextHopMtu", nextHopMtu);
            if (nextHopMtu != 0 && code != UnreachableCode.FRAGMENTATION_NEEDED) {
                throw new IllegalArgumentException(
                        "Only FRAGMENTATION_NEEDED carries a next-hop MTU, not " + code + ".");
            }
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A time exceeded error (type 11).
     *
     * @param code which time ran out
     * @param data the start of the datagram that was dropped, as in {@link DestinationUnreachable#data()}
     */
    record TimeExceeded(TimeExceededCode code, Octets data) implements Icmpv4Repr {
        public TimeExceeded {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(data, "data");
        }
    }

    private static void write(ByteBuf out, int type, int code, int restOfHeader, Octets data) {
        int start = out.writerIndex();
        out.writeByte(type);
        out.writeByte(code);
        out.writeShort(0);
        out.writeInt(restOfHeader);
        data.writeTo(out);
        out.setShort(start + 2, InternetChecksum.compute(out, start, out.writerIndex() - start));
    }

    private static int echo(int identifier, int sequenceNumber) {
        return (identifier << 16) | sequenceNumber;
    }

    private static Octets data(Icmpv4Packet packet) {
        return Octets.copyOf(packet.buffer(), packet.dataIndex(), packet.dataLength());
    }

    private static void checkU16(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be 0 to 65535, not " + value + ".");
        }
    }
}
