package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class DhcpPacketTest {

    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address OFFERED = Ipv4Address.parse("10.0.0.135");
    private static final Octets PARAMETERS = Octets.of((byte) 1, (byte) 3, (byte) 6, (byte) 51, (byte) 54, (byte) 58, (byte) 59);
    private static final Octets CLIENT_ID = Octets.of((byte) 1, (byte) 2, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 2);

    private static String zeros(int octets) {
        return "00".repeat(octets);
    }

    /** op, htype 1, hlen 6, hops 0, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr 0, chaddr, sname, file, cookie. */
    private static String header(String op, String xid, String secs, String flags, String ciaddr, String yiaddr, String siaddr) {
        return op + "010600" + xid + secs + flags + ciaddr + yiaddr + siaddr + "00000000"
                + "020000000002" + zeros(10 + 64 + 128) + "63825363";
    }

    // A real exchange: dnsmasq 2.90 (Debian 12) run as `dnsmasq --dhcp-range=10.0.0.50,10.0.0.150,255.255.255.0,2m
    // --dhcp-option=option:T1,10s --dhcp-option=option:T2,20s --dhcp-option=option:router,10.0.0.1
    // --dhcp-option=option:dns-server,10.0.0.1`, the client's messages crafted with scapy 2.5 (python3-scapy), all
    // captured on the client's interface; the BOOTP part of each UDP datagram.

    /** scapy's {@code BOOTP(chaddr=..., xid=0x12345678)/DHCP(options=[("message-type","discover"), ("param_req_list", [1,3,6,51,54,58,59]), "end"])}. */
    static final String DISCOVER = header("01", "12345678", "0000", "0000", "00000000", "00000000", "00000000")
            + "350101" + "3707" + "0103063336" + "3a3b" + "ff";
    /** dnsmasq's OFFER: options 53, 54, 51 (120 s), 58 (10 s), 59 (20 s), 1, 28 (broadcast address), 6, 3, End, padding. */
    static final String OFFER = header("02", "12345678", "0000", "0000", "00000000", "0a000087", "0a000001")
            + "350102" + "3604" + "0a000001" + "3304" + "00000078" + "3a04" + "0000000a" + "3b04" + "00000014"
            + "0104" + "ffffff00" + "1c04" + "0a0000ff" + "0604" + "0a000001" + "0304" + "0a000001" + "ff" + zeros(8);
    /** scapy's REQUEST for the offered address, naming the server. */
    static final String REQUEST = header("01", "12345678", "0000", "0000", "00000000", "00000000", "00000000")
            + "350103" + "3604" + "0a000001" + "3204" + "0a000087" + "3707" + "0103063336" + "3a3b" + "ff";
    /** dnsmasq's ACK: the OFFER's fields with message type 5. */
    static final String ACK = OFFER.replace("350102", "350105");
    /** dnsmasq's NAK of a REQUEST for 10.0.0.200, broadcast flag set, with option 56 "address not available". */
    static final String NAK = header("02", "9abcdef0", "0000", "8000", "00000000", "00000000", "00000000")
            + "350106" + "3604" + "0a000001" + "3815" + HexFormat.of().formatHex("address not available".getBytes(StandardCharsets.US_ASCII))
            + "ff" + zeros(27);

    // What our client sends, made with scapy 2.5 and padded with zeros to 300 octets:
    /** {@code BOOTP(chaddr=..., xid=0x12345678, secs=3)/DHCP(options=[("message-type","discover"), ("requested_addr","10.0.0.135"), ("client_id", b"\x01"+chaddr), ("param_req_list",[1,3,6,51,54,58,59]), "end"])}. */
    static final String OUR_DISCOVER = header("01", "12345678", "0003", "0000", "00000000", "00000000", "00000000")
            + "350101" + "3204" + "0a000087" + "3d07" + "01020000000002" + "3707" + "0103063336" + "3a3b" + "ff" + zeros(32);
    /** {@code BOOTP(chaddr=..., xid=0x0badcafe, ciaddr="10.0.0.135")/DHCP(options=[("message-type","request"), ("client_id", ...), ("param_req_list", ...), "end"])}: renewing. */
    static final String OUR_RENEWAL = header("01", "0badcafe", "0000", "0000", "0a000087", "00000000", "00000000")
            + "350103" + "3d07" + "01020000000002" + "3707" + "0103063336" + "3a3b" + "ff" + zeros(38);

    private static final DhcpRepr OFFER_REPR = DhcpRepr.builder(DhcpMessageType.OFFER, 0x12345678, MAC)
            .yourIp(OFFERED).serverIp(SERVER).serverIdentifier(SERVER).times(120, 10, 20)
            .subnetMask(Ipv4Address.parse("255.255.255.0")).routers(List.of(SERVER)).dnsServers(List.of(SERVER)).build();

    private final DhcpPacket packet = new DhcpPacket();

    private Parsed<DhcpRepr> parse(String hex) {
        ByteBuf buf = fromHex(hex);
        try {
            Malformed problem = packet.wrap(buf);
            return problem == null ? DhcpRepr.parse(packet) : Parsed.rejected(problem);
        } finally {
            buf.release();
        }
    }

    private static String emit(DhcpRepr repr) {
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            assertThat(out.readableBytes()).isEqualTo(repr.bufferLength());
            return hex(out);
        } finally {
            out.release();
        }
    }

    @Test
    void deconstructDnsmasqsOffer() {
        ByteBuf buf = fromHex(OFFER);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.op()).isEqualTo(DhcpPacket.OP_REPLY);
            assertThat(packet.hardwareType()).isEqualTo(DhcpPacket.HARDWARE_ETHERNET);
            assertThat(packet.hardwareLength()).isEqualTo(6);
            assertThat(packet.hops()).isZero();
            assertThat(packet.transactionId()).isEqualTo(0x12345678);
            assertThat(packet.secs()).isZero();
            assertThat(packet.flags()).isZero();
            assertThat(packet.clientIp()).isEqualTo(Ipv4Address.ANY);
            assertThat(packet.yourIp()).isEqualTo(OFFERED);
            assertThat(packet.serverIp()).isEqualTo(SERVER);
            assertThat(packet.relayAgentIp()).isEqualTo(Ipv4Address.ANY);
            assertThat(packet.clientMac()).isEqualTo(MAC);
            assertThat(packet.optionsIndex()).isEqualTo(240);
            assertThat(packet.optionsEnd()).as("at the End option, before the padding").isEqualTo(300 - 8 - 1);
            assertThat(DhcpRepr.parse(packet)).isEqualTo(Parsed.ok(OFFER_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void parseTheRestOfTheExchange() {
        assertThat(parse(DISCOVER)).isEqualTo(Parsed.ok(DhcpRepr.builder(DhcpMessageType.DISCOVER, 0x12345678, MAC)
                .parameterRequestList(PARAMETERS).build()));
        assertThat(parse(REQUEST)).isEqualTo(Parsed.ok(DhcpRepr.builder(DhcpMessageType.REQUEST, 0x12345678, MAC)
                .serverIdentifier(SERVER).requestedIp(OFFERED).parameterRequestList(PARAMETERS).build()));
        assertThat(parse(ACK)).isEqualTo(Parsed.ok(OFFER_REPR.toBuilder().messageType(DhcpMessageType.ACK).build()));
        assertThat(parse(NAK)).isEqualTo(Parsed.ok(DhcpRepr.builder(DhcpMessageType.NAK, 0x9abcdef0, MAC)
                .broadcast(true).serverIdentifier(SERVER).message("address not available").build()));
    }

    @Test
    void constructWhatOurClientSends() {
        DhcpRepr discover = DhcpRepr.builder(DhcpMessageType.DISCOVER, 0x12345678, MAC).secs(3).requestedIp(OFFERED)
                .clientIdentifier(CLIENT_ID).parameterRequestList(PARAMETERS).build();
        assertThat(emit(discover)).isEqualTo(OUR_DISCOVER);
        DhcpRepr renewal = DhcpRepr.builder(DhcpMessageType.REQUEST, 0x0badcafe, MAC).clientIp(OFFERED)
                .clientIdentifier(CLIENT_ID).parameterRequestList(PARAMETERS).build();
        assertThat(emit(renewal)).isEqualTo(OUR_RENEWAL);
    }

    /** RFC 1542 section 2.1: short messages are padded to BOOTP's 300 octets; longer ones are not cut. */
    @Test
    void emitPadsToThreeHundredOctets() {
        assertThat(OUR_DISCOVER.length() / 2).isEqualTo(DhcpRepr.MIN_LENGTH);
        DhcpRepr big = OFFER_REPR.toBuilder().message("x".repeat(255)).build();
        assertThat(big.bufferLength()).isGreaterThan(DhcpRepr.MIN_LENGTH);
        assertThat(parse(emit(big))).isEqualTo(Parsed.ok(big));
    }

    @Test
    void everyPrefixIsTruncatedOrEndsBetweenOptions() {
        ByteBuf buf = fromHex(OFFER);
        try {
            for (int length = 0; length < buf.readableBytes(); length++) {
                Malformed problem = packet.wrap(buf, 0, length);
                if (length < DhcpPacket.HEADER_LENGTH) {
                    assertThat(problem).as("prefix of %d octets", length).isEqualTo(Malformed.TRUNCATED);
                } else if (problem == null) {
                    // It ends between two options: what is left still parses, to something smaller.
                    Parsed<DhcpRepr> parsed = DhcpRepr.parse(packet);
                    assertThat(parsed).as("prefix of %d octets", length).isNotNull();
                } else {
                    assertThat(problem).as("prefix of %d octets", length).isEqualTo(Malformed.TRUNCATED);
                }
            }
            // The OFFER's options start at 240; its lease time option takes octets 9 to 14 of them.
            assertThat(packet.wrap(buf, 0, 240 + 11)).isEqualTo(Malformed.TRUNCATED);
            assertThat(packet.wrap(buf, 0, 240 + 15)).isNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void anOptionRunningPastThePacketIsTruncated() {
        String head = OFFER.substring(0, 480); // everything up to the options
        assertThat(parse(head + "350102" + "33ff" + "00000078")).isEqualTo(Parsed.rejected(Malformed.TRUNCATED));
        assertThat(parse(head + "350102" + "33")).as("a code without its length").isEqualTo(Parsed.rejected(Malformed.TRUNCATED));
    }

    @Test
    void withoutTheMagicCookieItIsNotDhcp() {
        assertThat(parse(OFFER.replace("63825363", "00000000"))).isEqualTo(Parsed.rejected(Malformed.BAD_MAGIC_COOKIE));
    }

    @Test
    void unknownOptionsAndOverloadAreSkippedByTheirLength() {
        String offer = OFFER.substring(0, 480) + "3401" + "03" + "c803" + "ffffff" + "00" + OFFER.substring(480);
        assertThat(parse(offer)).isEqualTo(Parsed.ok(OFFER_REPR));
    }

    @Test
    void aListWithoutEndEndsWithThePacket() {
        assertThat(parse(OFFER.substring(0, OFFER.indexOf("0304" + "0a000001ff") + 12))).isEqualTo(Parsed.ok(OFFER_REPR));
    }

    @Test
    void anOptionGivenTwiceCountsTheLastTime() {
        assertThat(parse(OFFER.replace("3304" + "00000078", "3304" + "00000001" + "3304" + "00000078")))
                .isEqualTo(Parsed.ok(OFFER_REPR));
    }

    @Test
    void anInfiniteLeaseIsAllOnes() {
        DhcpRepr infinite = parse(OFFER.replace("3304" + "00000078", "3304" + "ffffffff")).valueOrNull();
        assertThat(infinite.leaseSeconds()).isEqualTo(DhcpRepr.INFINITE);
    }

    @Test
    void aKnownOptionOfTheWrongLengthIsMalformed() {
        String head = OFFER.substring(0, 480);
        assertThat(parse(head + "35020202" + "ff")).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
        assertThat(parse(head + "350102" + "3603" + "0a0000" + "ff")).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
        assertThat(parse(head + "350102" + "3302" + "0078" + "ff")).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
        assertThat(parse(head + "350102" + "0306" + "0a0000010a00" + "ff")).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
        assertThat(parse(head + "350102" + "0600" + "ff")).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
        assertThat(parse(head + "350102" + "3d01" + "01" + "ff")).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
    }

    @Test
    void aMessageWithoutAKnownTypeOrForOtherHardwareIsUnsupported() {
        String head = OFFER.substring(0, 480);
        assertThat(parse(head + "3604" + "0a000001" + "ff")).as("no type").isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE));
        assertThat(parse(head + "350109" + "ff")).as("type 9").isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE));
        assertThat(parse("01" + OFFER.substring(2))).as("an OFFER as a request").isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE));
        assertThat(parse("020606" + OFFER.substring(6))).as("token ring").isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE));
        assertThat(parse("020110" + OFFER.substring(6))).as("16-octet addresses").isEqualTo(Parsed.rejected(Malformed.UNSUPPORTED_DHCP_MESSAGE));
    }

    @Test
    void outOfRangeFieldsAreProgrammingErrors() {
        DhcpRepr.Builder b = DhcpRepr.builder(DhcpMessageType.DISCOVER, 1, MAC);
        assertThatThrownBy(() -> b.secs(65_536).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.secs(0).times(DhcpRepr.INFINITE + 1, -1, -1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.times(-1, -1, -1).clientIdentifier(Octets.of((byte) 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 to 255");
        assertThatThrownBy(() -> b.clientIdentifier(Octets.EMPTY).message("\u20ac").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.message("").routers(java.util.Collections.nCopies(64, SERVER)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 63");
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        DhcpRepr repr = dhcpRepr(gen);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out);
            assertThat(out.readableBytes()).isEqualTo(repr.bufferLength());
            assertThat(packet.wrap(out)).isNull();
            assertThat(DhcpRepr.parse(packet)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }

    @Property(tries = 1000)
    void damagedMessagesNeverThrow(Gen gen) {
        ByteBuf buf = TestBuffers.of(gen.mutate(TestBuffers.bytes(gen.oneOf(OFFER, ACK, NAK, REQUEST, OUR_DISCOVER))));
        try {
            assertThatCode(() -> decode(buf)).doesNotThrowAnyException();
        } finally {
            buf.release();
        }
    }

    @Property(tries = 1000)
    void arbitraryOptionsNeverThrow(Gen gen) {
        // The fixed header of an OFFER, then random option octets: most of the tries get past the cookie.
        byte[] options = gen.bytes(0, 400);
        ByteBuf buf = TestBuffers.of(TestBuffers.bytes(OFFER.substring(0, 480))).writeBytes(options);
        try {
            assertThatCode(() -> decode(buf)).doesNotThrowAnyException();
        } finally {
            buf.release();
        }
    }

    private void decode(ByteBuf buf) {
        if (packet.wrap(buf) != null) return;
        packet.op();
        packet.transactionId();
        packet.clientMac();
        packet.yourIp();
        DhcpRepr.parse(packet);
    }

    /** Any message the record accepts. */
    static DhcpRepr dhcpRepr(Gen gen) {
        DhcpRepr.Builder b = DhcpRepr.builder(gen.oneOf(DhcpMessageType.values()), gen.random().nextInt(), WireGen.macAddress(gen))
                .secs(gen.intBetween(0, 0xFFFF)).broadcast(gen.bool())
                .clientIp(WireGen.ipv4Address(gen)).yourIp(WireGen.ipv4Address(gen))
                .serverIp(WireGen.ipv4Address(gen)).relayAgentIp(WireGen.ipv4Address(gen))
                .serverIdentifier(gen.bool() ? WireGen.ipv4Address(gen) : null)
                .requestedIp(gen.bool() ? WireGen.ipv4Address(gen) : null)
                .times(seconds(gen), seconds(gen), seconds(gen))
                .subnetMask(gen.bool() ? WireGen.ipv4Address(gen) : null)
                .routers(gen.listOf(0, DhcpRepr.MAX_ADDRESSES, () -> WireGen.ipv4Address(gen)))
                .dnsServers(gen.listOf(0, 4, () -> WireGen.ipv4Address(gen)))
                .parameterRequestList(Octets.of(gen.bytes(0, 255)));
        int id = gen.intBetween(1, 255);
        b.clientIdentifier(id == 1 ? Octets.EMPTY : Octets.of(gen.bytes(id)));
        StringBuilder message = new StringBuilder();
        for (int i = gen.intBetween(0, 255); i > 0; i--) message.append((char) gen.intBetween(0, 255));
        return b.message(message.toString()).build();
    }

    private static long seconds(Gen gen) {
        return gen.bool() ? -1 : gen.random().nextLong(0, DhcpRepr.INFINITE + 1);
    }
}
