package org.mirage4j.tcpip.wire;

import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.testing.Gen;

/** Random representations for the round-trip properties: any value their constructors accept. */
final class WireGen {

    private WireGen() {}

    static MacAddress macAddress(Gen gen) {
        return new MacAddress(gen.longValue() & 0xFFFF_FFFF_FFFFL);
    }

    static Ipv4Address ipv4Address(Gen gen) {
        return new Ipv4Address(gen.random().nextInt());
    }

    static int u16(Gen gen) {
        return gen.intBetween(0, 0xFFFF);
    }

    static EthernetRepr ethernetRepr(Gen gen) {
        return new EthernetRepr(macAddress(gen), macAddress(gen), gen.oneOf(EtherType.values()));
    }

    static ArpRepr arpRepr(Gen gen) {
        return new ArpRepr(gen.oneOf(ArpOperation.values()),
                macAddress(gen), ipv4Address(gen), macAddress(gen), ipv4Address(gen));
    }

    static Ipv4Repr ipv4Repr(Gen gen) {
        // Half whole datagrams, half fragments, so both kinds of flags and offsets are covered.
        boolean fragment = gen.bool();
        // At most the largest payload's worth of 8-octet units: an offset beyond it leaves no room for any payload.
        int fragmentOffset = fragment ? 8 * gen.intBetween(0, Ipv4Repr.MAX_PAYLOAD_LENGTH / 8) : 0;
        int payloadLength = gen.intBetween(0, Ipv4Repr.MAX_PAYLOAD_LENGTH - fragmentOffset);
        return new Ipv4Repr(ipv4Address(gen), ipv4Address(gen), gen.oneOf(IpProtocol.values()), payloadLength,
                gen.intBetween(0, 255), gen.intBetween(0, 63), gen.intBetween(0, 3), u16(gen),
                !fragment && gen.bool(), fragment && gen.bool(), fragmentOffset);
    }

    static Icmpv4Repr icmpv4Repr(Gen gen) {
        Octets data = Octets.of(gen.bytes(0, 600));
        return switch (gen.intBetween(0, 3)) {
            case 0 -> new Icmpv4Repr.EchoRequest(u16(gen), u16(gen), data);
            case 1 -> new Icmpv4Repr.EchoReply(u16(gen), u16(gen), data);
            case 2 -> {
                UnreachableCode code = gen.oneOf(UnreachableCode.values());
                int mtu = code == UnreachableCode.FRAGMENTATION_NEEDED ? u16(gen) : 0;
                yield new Icmpv4Repr.DestinationUnreachable(code, mtu, data);
            }
            default -> new Icmpv4Repr.TimeExceeded(gen.oneOf(TimeExceededCode.values()), data);
        };
    }

    static UdpRepr udpRepr(Gen gen) {
        return new UdpRepr(u16(gen), u16(gen));
    }
}
