package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/**
 * What a DHCP message over Ethernet means (RFC 2131, options from RFC 2132): the BOOTP fields a client and a
 * server use, and the options this stack understands. {@code hops}, {@code sname} and {@code file} are not
 * represented: {@link #parse} ignores them and {@link #emit} writes zeros. Options of other codes, the overload
 * option among them, are skipped by their length.
 *
 * <p>Absent options are {@code null} (addresses), {@code -1} (times), an empty list, {@link Octets#EMPTY}, or
 * the empty string ({@link #message}). Build one with {@link #builder}.
 *
 * @param messageType option 53; also decides the BOOTP operation
 * @param transactionId {@code xid}, chosen by the client and echoed by the server
 * @param secs seconds since the client began acquiring or renewing, 0 to 65535
 * @param broadcast the broadcast flag: the client asks for replies sent to the broadcast address
 * @param clientMac the client's Ethernet address, in {@code chaddr}
 * @param clientIp {@code ciaddr}: the client's address when it has one, else 0.0.0.0
 * @param yourIp {@code yiaddr}: the address given to the client, else 0.0.0.0
 * @param serverIp {@code siaddr}: the next server to boot from, else 0.0.0.0
 * @param relayAgentIp {@code giaddr}: the relay agent's address, else 0.0.0.0
 * @param serverIdentifier option 54: the DHCP server's address, or {@code null}
 * @param requestedIp option 50: the address the client asks for, or {@code null}
 * @param leaseSeconds option 51: the lease time in seconds, 0 to 2<sup>32</sup>-1 (all ones: infinite), or -1
 * @param renewalSeconds option 58: T1, when the client starts renewing, in seconds after the lease began, or -1
 * @param rebindingSeconds option 59: T2, when the client starts rebinding, in seconds after the lease began, or -1
 * @param subnetMask option 1, or {@code null}
 * @param routers option 3: routers on the client's link, most preferred first; at most 63
 * @param dnsServers option 6: domain name servers, most preferred first; at most 63
 * @param parameterRequestList option 55: the codes of the options the client asks for
 * @param clientIdentifier option 61: a type octet and an identifier, 2 to 255 octets, or empty
 * @param message option 56: a server's explanation (of a NAK, say), ISO 8859-1 text of at most 255 characters
 */
public record DhcpRepr(
        DhcpMessageType messageType,
        int transactionId,
        int secs,
        boolean broadcast,
        MacAddress clientMac,
        Ipv4Address clientIp,
        Ipv4Address yourIp,
        Ipv4Address serverIp,
        Ipv4Address relayAgentIp,
        Ipv4Address serverIdentifier,
        Ipv4Address requestedIp,
        long leaseSeconds,
        long renewalSeconds,
        long rebindingSeconds,
        Ipv4Address subnetMask,
        List<Ipv4Address> routers,
        List<Ipv4Address> dnsServers,
        Octets parameterRequestList,
        Octets clientIdentifier,
        String message) {

    /** A lease time of all ones: the lease never ends (RFC 2131 section 3.3). */
    public static final long INFINITE = 0xFFFF_FFFFL;
    /** The most addresses one option holds: 255 octets of data. */
    public static final int MAX_ADDRESSES = 255 / Ipv4Address.LENGTH;
    /**
     * The shortest message {@link #emit} writes: BOOTP's 300 octets, which some relays and servers insist on (RFC 1542
     * section 2.1).
     */
    public static final int MIN_LENGTH = 300;

    private static final int MAX_OPTION_DATA = 255;
    /** The length of an option with four octets of data, an address or a time: code, length and data. */
    private static final int WORD_OPTION_LENGTH = 2 + 4;

    public DhcpRepr {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(clientMac, "clientMac");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(yourIp, "yourIp");
        Objects.requireNonNull(serverIp, "serverIp");
        Objects.requireNonNull(relayAgentIp, "relayAgentIp");
        if (secs < 0 || secs > 0xFFFF) throw new IllegalArgumentException("secs must be 0 to 65535, not " + secs + ".");
        checkTime("leaseSeconds", leaseSeconds);
        checkTime("renewalSeconds", renewalSeconds);
        checkTime("rebindingSeconds", rebindingSeconds);
        routers = checkAddresses("routers", routers);
        dnsServers = checkAddresses("dnsServers", dnsServers);
        Objects.requireNonNull(parameterRequestList, "parameterRequestList");
        Objects.requireNonNull(clientIdentifier, "clientIdentifier");
        Objects.requireNonNull(message, "message");
        if (parameterRequestList.length() > MAX_OPTION_DATA) {
            throw new IllegalArgumentException(
                    "A parameter request list holds at most 255 codes, not " + parameterRequestList.length() + ".");
        }
        int id = clientIdentifier.length();
        if (id == 1 || id > MAX_OPTION_DATA) {
            throw new IllegalArgumentException("A client identifier is 2 to 255 octets (RFC 2132 section 9.14), not " + id + ".");
        }
        if (message.length() > MAX_OPTION_DATA || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(message)) {
            throw new IllegalArgumentException(
                    "A DHCP message option is at most 255 ISO 8859-1 characters: '" + message + "' is not.");
        }
    }

    /** A message of {@code type} from or to {@code clientMac}, every other field zero or absent; fill it in with the builder. */
    public static Builder builder(DhcpMessageType type, int transactionId, MacAddress clientMac) {
        return new Builder(type, transactionId, clientMac);
    }

    /** A builder holding this message's fields, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The meaning of a bound message. Rejects a hardware type or length other than Ethernet's, a message without a
     * known type (option 53) or whose BOOTP operation does not match its type ({@link Malformed#UNSUPPORTED_DHCP_MESSAGE}),
     * and an option this record holds whose length is wrong for its code ({@link Malformed#BAD_LENGTH}). An option
     * given twice counts as given once, the last time. Work and allocation are bounded by the message's length.
     */
    public static Parsed<DhcpRepr> parse(DhcpPacket packet) {
        if (packet.hardwareType() != DhcpPacket.HARDWARE_ETHERNET || packet.hardwareLength() != MacAddress.LENGTH) {
            return Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE);
        }
        ByteBuf buf = packet.buffer();
        int typeValue = -1;
        Builder b = new Builder(DhcpMessageType.DISCOVER, packet.transactionId(), packet.clientMac());
        int end = packet.optionsEnd();
        for (int i = packet.optionsIndex(); i < end; ) {
            int code = buf.getUnsignedByte(i);
            if (code == DhcpPacket.OPTION_PAD) {
                i++;
                continue;
            }
            int length = buf.getUnsignedByte(i + 1);
            int data = i + 2;
            i = data + length;
            boolean lengthOk = switch (code) {
                case DhcpPacket.OPTION_MESSAGE_TYPE -> {
                    if (length == 1) typeValue = buf.getUnsignedByte(data);
                    yield length == 1;
                }
                case DhcpPacket.OPTION_SERVER_ID -> (b.serverIdentifier = address(buf, data, length)) != null;
                case DhcpPacket.OPTION_REQUESTED_IP -> (b.requestedIp = address(buf, data, length)) != null;
                case DhcpPacket.OPTION_SUBNET_MASK -> (b.subnetMask = address(buf, data, length)) != null;
                case DhcpPacket.OPTION_LEASE_TIME -> (b.leaseSeconds = seconds(buf, data, length)) >= 0;
                case DhcpPacket.OPTION_RENEWAL_TIME -> (b.renewalSeconds = seconds(buf, data, length)) >= 0;
                case DhcpPacket.OPTION_REBINDING_TIME -> (b.rebindingSeconds = seconds(buf, data, length)) >= 0;
                case DhcpPacket.OPTION_ROUTER -> (b.routers = addresses(buf, data, length)) != null;
                case DhcpPacket.OPTION_DNS_SERVER -> (b.dnsServers = addresses(buf, data, length)) != null;
                case DhcpPacket.OPTION_PARAMETER_REQUEST_LIST -> {
                    b.parameterRequestList = Octets.copyOf(buf, data, length);
                    yield true;
                }
                case DhcpPacket.OPTION_CLIENT_ID -> {
                    b.clientIdentifier = Octets.copyOf(buf, data, length);
                    yield length >= 2; // RFC 2132 section 9.14: a type and at least one octet
                }
                case DhcpPacket.OPTION_MESSAGE -> {
                    b.message = buf.toString(data, length, StandardCharsets.ISO_8859_1);
                    yield true;
                }
                default -> true; // unknown options, and overload (52): skipped by their length
            };
            if (!lengthOk) return Parsed.rejected(Malformed.BAD_LENGTH);
        }
        DhcpMessageType type = DhcpMessageType.of(typeValue);
        if (type == null || packet.op() != type.operation()) return Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE);
        b.messageType = type;
        b.secs = packet.secs();
        b.broadcast = (packet.flags() & DhcpPacket.FLAG_BROADCAST) != 0;
        b.clientIp = packet.clientIp();
        b.yourIp = packet.yourIp();
        b.serverIp = packet.serverIp();
        b.relayAgentIp = packet.relayAgentIp();
        return Parsed.ok(b.build());
    }

    private static Ipv4Address address(ByteBuf buf, int index, int length) {
        return length == Ipv4Address.LENGTH ? Ipv4Address.readFrom(buf, index) : null;
    }

    private static long seconds(ByteBuf buf, int index, int length) {
        return length == 4 ? buf.getUnsignedInt(index) : -1;
    }

    private static List<Ipv4Address> addresses(ByteBuf buf, int index, int length) {
        if (length == 0 || length % Ipv4Address.LENGTH != 0) return null; // RFC 2132 sections 3.5, 3.8: 4n, n >= 1
        List<Ipv4Address> list = new ArrayList<>(length / Ipv4Address.LENGTH);
        for (int i = 0; i < length; i += Ipv4Address.LENGTH) list.add(Ipv4Address.readFrom(buf, index + i));
        return list;
    }

    /** The length of the message {@link #emit} writes, padding to {@link #MIN_LENGTH} included. */
    public int bufferLength() {
        return Math.max(MIN_LENGTH, DhcpPacket.HEADER_LENGTH + optionsLength() + 1);
    }

    private int optionsLength() {
        int n = 3; // message type
        if (serverIdentifier != null) n += WORD_OPTION_LENGTH;
        if (requestedIp != null) n += WORD_OPTION_LENGTH;
        if (leaseSeconds >= 0) n += WORD_OPTION_LENGTH;
        if (renewalSeconds >= 0) n += WORD_OPTION_LENGTH;
        if (rebindingSeconds >= 0) n += WORD_OPTION_LENGTH;
        if (subnetMask != null) n += WORD_OPTION_LENGTH;
        if (!routers.isEmpty()) n += 2 + Ipv4Address.LENGTH * routers.size();
        if (!dnsServers.isEmpty()) n += 2 + Ipv4Address.LENGTH * dnsServers.size();
        if (clientIdentifier.length() > 0) n += 2 + clientIdentifier.length();
        if (parameterRequestList.length() > 0) n += 2 + parameterRequestList.length();
        if (!message.isEmpty()) n += 2 + message.length();
        return n;
    }

    /**
     * Writes the message at the writer index of {@code out}: header, cookie, the options present, End, and zeros up
     * to {@link #bufferLength()}. The caller keeps ownership of {@code out}.
     */
    public void emit(ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(messageType.operation());
        out.writeByte(DhcpPacket.HARDWARE_ETHERNET);
        out.writeByte(MacAddress.LENGTH);
        out.writeByte(0); // hops
        out.writeInt(transactionId);
        out.writeShort(secs);
        out.writeShort(broadcast ? DhcpPacket.FLAG_BROADCAST : 0);
        clientIp.writeTo(out);
        yourIp.writeTo(out);
        serverIp.writeTo(out);
        relayAgentIp.writeTo(out);
        clientMac.writeTo(out);
        out.writeZero(DhcpPacket.COOKIE - (DhcpPacket.CLIENT_HARDWARE_ADDRESS + MacAddress.LENGTH)); // chaddr's rest, sname, file
        out.writeInt(DhcpPacket.MAGIC_COOKIE);
        out.writeByte(DhcpPacket.OPTION_MESSAGE_TYPE).writeByte(1).writeByte(messageType.value());
        writeAddress(out, DhcpPacket.OPTION_SERVER_ID, serverIdentifier);
        writeAddress(out, DhcpPacket.OPTION_REQUESTED_IP, requestedIp);
        writeSeconds(out, DhcpPacket.OPTION_LEASE_TIME, leaseSeconds);
        writeSeconds(out, DhcpPacket.OPTION_RENEWAL_TIME, renewalSeconds);
        writeSeconds(out, DhcpPacket.OPTION_REBINDING_TIME, rebindingSeconds);
        writeAddress(out, DhcpPacket.OPTION_SUBNET_MASK, subnetMask);
        writeAddresses(out, DhcpPacket.OPTION_ROUTER, routers);
        writeAddresses(out, DhcpPacket.OPTION_DNS_SERVER, dnsServers);
        writeOctets(out, DhcpPacket.OPTION_CLIENT_ID, clientIdentifier);
        writeOctets(out, DhcpPacket.OPTION_PARAMETER_REQUEST_LIST, parameterRequestList);
        if (!message.isEmpty()) {
            out.writeByte(DhcpPacket.OPTION_MESSAGE).writeByte(message.length());
            out.writeCharSequence(message, StandardCharsets.ISO_8859_1);
        }
        out.writeByte(DhcpPacket.OPTION_END);
        out.writeZero(bufferLength() - (out.writerIndex() - start));
    }

    private static void writeAddress(ByteBuf out, int code, Ipv4Address address) {
        if (address == null) return;
        out.writeByte(code).writeByte(Ipv4Address.LENGTH);
        address.writeTo(out);
    }

    private static void writeSeconds(ByteBuf out, int code, long seconds) {
        if (seconds < 0) return;
        out.writeByte(code).writeByte(4).writeInt((int) seconds);
    }

    private static void writeAddresses(ByteBuf out, int code, List<Ipv4Address> addresses) {
        if (addresses.isEmpty()) return;
        out.writeByte(code).writeByte(Ipv4Address.LENGTH * addresses.size());
        for (Ipv4Address address : addresses) address.writeTo(out);
    }

    private static void writeOctets(ByteBuf out, int code, Octets octets) {
        if (octets.length() == 0) return;
        out.writeByte(code).writeByte(octets.length());
        octets.writeTo(out);
    }

    private static void checkTime(String name, long seconds) {
        if (seconds < -1 || seconds > INFINITE) {
            throw new IllegalArgumentException(
                    name + " must be 0 to " + INFINITE + " seconds, or -1 for none, not " + seconds + ".");
        }
    }

    private static List<Ipv4Address> checkAddresses(String name, List<Ipv4Address> addresses) {
        List<Ipv4Address> copy = List.copyOf(addresses);
        if (copy.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(name + " holds at most " + MAX_ADDRESSES + " addresses, not " + copy.size() + ".");
        }
        return copy;
    }

    /** Fields of a {@link DhcpRepr} being put together; {@link #build} checks them. Not thread-safe. */
    public static final class Builder {
        private DhcpMessageType messageType;
        private final int transactionId;
        private final MacAddress clientMac;
        private int secs;
        private boolean broadcast;
        private Ipv4Address clientIp = Ipv4Address.ANY;
        private Ipv4Address yourIp = Ipv4Address.ANY;
        private Ipv4Address serverIp = Ipv4Address.ANY;
        private Ipv4Address relayAgentIp = Ipv4Address.ANY;
        private Ipv4Address serverIdentifier;
        private Ipv4Address requestedIp;
        private long leaseSeconds = -1;
        private long renewalSeconds = -1;
        private long rebindingSeconds = -1;
        private Ipv4Address subnetMask;
        private List<Ipv4Address> routers = List.of();
        private List<Ipv4Address> dnsServers = List.of();
        private Octets parameterRequestList = Octets.EMPTY;
        private Octets clientIdentifier = Octets.EMPTY;
        private String message = "";

        private Builder(DhcpMessageType messageType, int transactionId, MacAddress clientMac) {
            this.messageType = messageType;
            this.transactionId = transactionId;
            this.clientMac = clientMac;
        }

        private Builder(DhcpRepr r) {
            this(r.messageType, r.transactionId, r.clientMac);
            secs = r.secs;
            broadcast = r.broadcast;
            clientIp = r.clientIp;
            yourIp = r.yourIp;
            serverIp = r.serverIp;
            relayAgentIp = r.relayAgentIp;
            serverIdentifier = r.serverIdentifier;
            requestedIp = r.requestedIp;
            leaseSeconds = r.leaseSeconds;
            renewalSeconds = r.renewalSeconds;
            rebindingSeconds = r.rebindingSeconds;
            subnetMask = r.subnetMask;
            routers = r.routers;
            dnsServers = r.dnsServers;
            parameterRequestList = r.parameterRequestList;
            clientIdentifier = r.clientIdentifier;
            message = r.message;
        }

        public Builder messageType(DhcpMessageType type) {
            this.messageType = type;
            return this;
        }

        public Builder secs(int secs) {
            this.secs = secs;
            return this;
        }

        public Builder broadcast(boolean broadcast) {
            this.broadcast = broadcast;
            return this;
        }

        public Builder clientIp(Ipv4Address address) {
            this.clientIp = address;
            return this;
        }

        public Builder yourIp(Ipv4Address address) {
            this.yourIp = address;
            return this;
        }

        public Builder serverIp(Ipv4Address address) {
            this.serverIp = address;
            return this;
        }

        public Builder relayAgentIp(Ipv4Address address) {
            this.relayAgentIp = address;
            return this;
        }

        /** Option 54; {@code null} for none. */
        public Builder serverIdentifier(Ipv4Address address) {
            this.serverIdentifier = address;
            return this;
        }

        /** Option 50; {@code null} for none. */
        public Builder requestedIp(Ipv4Address address) {
            this.requestedIp = address;
            return this;
        }

        /** Options 51, 58 and 59, in seconds; -1 leaves one out. */
        public Builder times(long leaseSeconds, long renewalSeconds, long rebindingSeconds) {
            this.leaseSeconds = leaseSeconds;
            this.renewalSeconds = renewalSeconds;
            this.rebindingSeconds = rebindingSeconds;
            return this;
        }

        /** Option 1; {@code null} for none. */
        public Builder subnetMask(Ipv4Address mask) {
            this.subnetMask = mask;
            return this;
        }

        public Builder routers(List<Ipv4Address> routers) {
            this.routers = routers;
            return this;
        }

        public Builder dnsServers(List<Ipv4Address> servers) {
            this.dnsServers = servers;
            return this;
        }

        public Builder parameterRequestList(Octets codes) {
            this.parameterRequestList = codes;
            return this;
        }

        public Builder clientIdentifier(Octets identifier) {
            this.clientIdentifier = identifier;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /**
         * The message.
         *
         * @throws IllegalArgumentException or NullPointerException when a field is out of range or missing
         */
        public DhcpRepr build() {
            return new DhcpRepr(messageType, transactionId, secs, broadcast, clientMac, clientIp, yourIp, serverIp,
                    relayAgentIp, serverIdentifier, requestedIp, leaseSeconds, renewalSeconds, rebindingSeconds,
                    subnetMask, routers, dnsServers, parameterRequestList, clientIdentifier, message);
        }
    }
}
