package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/**
 * What an ARP packet for Ethernet and IPv4 means (RFC 826).
 *
 * @param operation request or reply
 * @param senderMac the sender's hardware address
 * @param senderIp the sender's IPv4 address
 * @param targetMac the target's hardware address; {@link MacAddress#ZERO} in a request, as it is not yet known
 * @param targetIp the IPv4 address asked about (request) or the requester's (reply)
 */
public record ArpRepr(
        ArpOperation operation,
        MacAddress senderMac,
        Ipv4Address senderIp,
        MacAddress targetMac,
        Ipv4Address targetIp) {

    private static final int MAC_LENGTH = MacAddress.LENGTH;
    private static final int IP_LENGTH = Ipv4Address.LENGTH;

    public ArpRepr {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderIp, "senderIp");
        Objects.requireNonNull(targetMac, "targetMac");
        Objects.requireNonNull(targetIp, "targetIp");
    }

    /** The meaning of a bound packet; rejects other hardware or protocols than Ethernet and IPv4, and RARP. */
    public static Parsed<ArpRepr> parse(ArpPacket packet) {
        if (packet.hardwareType() != ArpPacket.HARDWARE_ETHERNET
                || packet.protocolType() != EtherType.IPV4.value()
                || packet.hardwareLength() != MAC_LENGTH
                || packet.protocolLength() != IP_LENGTH) {
            return Parsed.rejected(Malformed.UNSUPPORTED_ARP_FORMAT);
        }
        ArpOperation operation = ArpOperation.of(packet.operation());
        if (operation == null) return Parsed.rejected(Malformed.UNSUPPORTED_ARP_OPERATION);
        return Parsed.ok(new ArpRepr(
                operation, packet.senderMac(), packet.senderIp(), packet.targetMac(), packet.targetIp()));
    }

    /** The length of the packet {@link #emit} writes. */
    public int bufferLength() {
        return ArpPacket.LENGTH;
    }

    /** Writes the packet at the writer index of {@code out}; the caller keeps ownership of {@code out}. */
    public void emit(ByteBuf out) {
        out.writeShort(ArpPacket.HARDWARE_ETHERNET);
        out.writeShort(EtherType.IPV4.value());
        out.writeByte(MAC_LENGTH);
        out.writeByte(IP_LENGTH);
        out.writeShort(operation.value());
        senderMac.writeTo(out);
        senderIp.writeTo(out);
        targetMac.writeTo(out);
        targetIp.writeTo(out);
    }
}
