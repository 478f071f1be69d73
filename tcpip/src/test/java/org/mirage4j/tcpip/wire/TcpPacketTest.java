package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;
import static org.mirage4j.tcpip.wire.TestBuffers.hex;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class TcpPacketTest {

    // Fixtures made with scapy 2.5 (Debian python3-scapy): the TCP part of bytes(IP(...)/TCP(...)) for the
    // expression quoted.

    /**
     * {@code IP(src="10.0.0.2", dst="10.0.0.1")/TCP(sport=49152, dport=80, seq=0x12345678, flags="S",
     * window=64240, options=[('MSS',1460),('SAckOK',b''),('Timestamp',(12345,0)),('NOP',None),('WScale',7)])},
     * the SYN Linux sends.
     */
    static final String SYN = "c00000501234567800000000a002faf0dfd60000"
            + "020405b4" + "0402080a0000303900000000" + "01030307";

    /**
     * {@code IP(src="10.0.0.1", dst="10.0.0.2")/TCP(sport=80, dport=49152, seq=1000, ack=0x12345679, flags="PA",
     * window=501, options=[('NOP',None),('NOP',None),('Timestamp',(4000000000,12345)),('NOP',None),('NOP',None),
     * ('SAck',(2000,3000,4000,5000))])/b"hello, world"}.
     */
    static final String DATA = "0050c000000003e812345679d01801f520030000"
            + "0101080aee6b280000003039" + "01010512000007d000000bb800000fa000001388"
            + "68656c6c6f2c20776f726c64";

    /**
     * {@code IP(src="10.0.0.2", dst="10.0.0.1")/TCP(sport=1234, dport=5678, seq=1, ack=2, flags="A", window=1024,
     * options=[(254, b'\x12\x34\x56'),('MSS',536),('EOL',None)])}: an experimental option, then an End and padding.
     */
    static final String UNKNOWN_OPTION = "04d2162e000000010000000280100400ca840000" + "fe05123456" + "02040218" + "000000";

    /** {@code IP(src="10.0.0.1", dst="10.0.0.2")/TCP(sport=80, dport=49152, seq=0, ack=0x12345679, flags="RA", window=0)}. */
    static final String RESET = "0050c00000000000123456795014000072d00000";

    private static final Ipv4Address CLIENT = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");

    private static final TcpRepr SYN_REPR = TcpRepr.of(49152, 80, new SeqNum(0x12345678), SeqNum.ZERO, TcpRepr.SYN, 64240)
            .withMaxSegmentSize(1460).withSackPermitted(true).withTimestamps(new TcpOption.Timestamps(12345, 0))
            .withWindowScale(7);
    private static final TcpRepr DATA_REPR = TcpRepr.of(80, 49152, new SeqNum(1000), new SeqNum(0x12345679),
                    TcpRepr.PSH | TcpRepr.ACK, 501)
            .withTimestamps(new TcpOption.Timestamps((int) 4_000_000_000L, 12345))
            .withSackBlocks(List.of(new SackBlock(new SeqNum(2000), new SeqNum(3000)),
                    new SackBlock(new SeqNum(4000), new SeqNum(5000))));

    private final TcpPacket packet = new TcpPacket();

    @Test
    void deconstructASyn() {
        ByteBuf buf = fromHex(SYN);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.sourcePort()).isEqualTo(49152);
            assertThat(packet.destinationPort()).isEqualTo(80);
            assertThat(packet.sequenceNumber()).isEqualTo(new SeqNum(0x12345678));
            assertThat(packet.acknowledgmentNumber()).isEqualTo(SeqNum.ZERO);
            assertThat(packet.headerLength()).isEqualTo(40);
            assertThat(packet.flags()).isEqualTo(TcpRepr.SYN);
            assertThat(packet.reserved()).isZero();
            assertThat(packet.window()).isEqualTo(64240);
            assertThat(packet.checksum()).isEqualTo(0xdfd6);
            assertThat(packet.urgentPointer()).isZero();
            assertThat(packet.options()).containsExactly(new TcpOption.MaxSegmentSize(1460),
                    new TcpOption.SackPermitted(), new TcpOption.Timestamps(12345, 0), new TcpOption.NoOperation(),
                    new TcpOption.WindowScale(7));
            assertThat(packet.checksumValid(CLIENT, SERVER)).isTrue();
            assertThat(packet.payloadLength()).isZero();
            assertThat(TcpRepr.parse(packet, CLIENT, SERVER)).isEqualTo(Parsed.ok(SYN_REPR));
        } finally {
            buf.release();
        }
    }

    @Test
    void deconstructDataWithSackBlocks() {
        ByteBuf buf = fromHex(DATA);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.headerLength()).isEqualTo(52);
            assertThat(packet.flags()).isEqualTo(TcpRepr.PSH | TcpRepr.ACK);
            assertThat(packet.payloadIndex()).isEqualTo(52);
            assertThat(hex(packet.payload())).isEqualTo("68656c6c6f2c20776f726c64");
            assertThat(TcpRepr.parse(packet, SERVER, CLIENT)).isEqualTo(Parsed.ok(DATA_REPR));
            assertThat(DATA_REPR.timestamps().value()).as("TSval is unsigned on the wire")
                    .isEqualTo((int) 4_000_000_000L);
        } finally {
            buf.release();
        }
    }

    @Test
    void constructASyn() {
        ByteBuf out = TestBuffers.empty();
        ByteBuf none = TestBuffers.empty();
        try {
            SYN_REPR.emit(out, CLIENT, SERVER, none);
            assertThat(hex(out)).isEqualTo(SYN);
            assertThat(SYN_REPR.bufferLength(0)).isEqualTo(out.readableBytes());
        } finally {
            out.release();
            none.release();
        }
    }

    @Test
    void constructDataWithSackBlocks() {
        ByteBuf out = TestBuffers.empty();
        ByteBuf payload = fromHex("68656c6c6f2c20776f726c64");
        try {
            DATA_REPR.emit(out, SERVER, CLIENT, payload);
            assertThat(hex(out)).isEqualTo(DATA);
            assertThat(payload.readerIndex()).as("the payload's indexes do not move").isZero();
        } finally {
            out.release();
            payload.release();
        }
    }

    @Test
    void constructAReset() {
        ByteBuf out = TestBuffers.empty();
        ByteBuf none = TestBuffers.empty();
        try {
            TcpRepr.of(80, 49152, SeqNum.ZERO, new SeqNum(0x12345679), TcpRepr.RST | TcpRepr.ACK, 0)
                    .emit(out, SERVER, CLIENT, none);
            assertThat(hex(out)).isEqualTo(RESET);
        } finally {
            out.release();
            none.release();
        }
    }

    /** Options of unknown kinds are skipped by their length; an End option ends the list before the padding. */
    @Test
    void unknownOptionsAreSkipped() {
        ByteBuf buf = fromHex(UNKNOWN_OPTION);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.options()).containsExactly(
                    new TcpOption.Unknown(254, Octets.of((byte) 0x12, (byte) 0x34, (byte) 0x56)),
                    new TcpOption.MaxSegmentSize(536), new TcpOption.End());
            assertThat(TcpRepr.parse(packet, CLIENT, SERVER)).isEqualTo(Parsed.ok(
                    TcpRepr.of(1234, 5678, new SeqNum(1), new SeqNum(2), TcpRepr.ACK, 1024).withMaxSegmentSize(536)));
        } finally {
            buf.release();
        }
    }

    @Test
    void checksumCoversThePseudoHeader() {
        ByteBuf buf = fromHex(SYN);
        try {
            assertThat(packet.wrap(buf)).isNull();
            assertThat(TcpRepr.parse(packet, CLIENT, Ipv4Address.parse("10.0.0.3")))
                    .isEqualTo(Parsed.rejected(Malformed.BAD_CHECKSUM));
            buf.setByte(TcpPacket.HEADER_LENGTH + 3, 0xb5); // MSS 1461: the sum no longer verifies
            assertThat(TcpRepr.parse(packet, CLIENT, SERVER)).isEqualTo(Parsed.rejected(Malformed.BAD_CHECKSUM));
        } finally {
            buf.release();
        }
    }

    @Test
    void everyShorterPrefixOfTheHeaderIsTruncated() {
        ByteBuf buf = fromHex(SYN);
        try {
            for (int length = 0; length < 40; length++) {
                assertThat(packet.wrap(buf, 0, length)).as("prefix of %d octets", length).isEqualTo(Malformed.TRUNCATED);
            }
            assertThat(packet.wrap(buf, 0, 40)).isNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void dataOffsetBelowFiveWordsIsMalformed() {
        ByteBuf buf = fromHex(RESET);
        try {
            buf.setByte(12, 0x40);
            assertThat(packet.wrap(buf)).isEqualTo(Malformed.BAD_HEADER_LENGTH);
        } finally {
            buf.release();
        }
    }

    /** RFC 9293 section 3.1: an option's length counts its kind and length octets, so 0 and 1 are malformed. */
    @Test
    void optionLengthBelowTwoIsMalformed() {
        for (String option : List.of("fe00", "fe01")) {
            ByteBuf buf = fromHex("04d2162e000000010000000260100400ca840000" + option + "0000");
            try {
                assertThat(packet.wrap(buf)).as("option %s", option).isEqualTo(Malformed.BAD_LENGTH);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void optionRunningPastTheHeaderIsTruncated() {
        // A 24-octet header whose 4 octets of options hold a 6-octet option, then data that must not be read as it.
        ByteBuf buf = fromHex("04d2162e000000010000000260100400ca840000" + "fe061234" + "5678");
        ByteBuf lonely = fromHex("04d2162e000000010000000260100400ca840000" + "010101fe");
        try {
            assertThat(packet.wrap(buf)).isEqualTo(Malformed.TRUNCATED);
            assertThat(packet.wrap(lonely)).as("a kind octet without its length").isEqualTo(Malformed.TRUNCATED);
        } finally {
            buf.release();
            lonely.release();
        }
    }

    /** A known kind with another length than its own is a damaged header: rejected, not misread. */
    @Test
    void knownOptionWithTheWrongLengthIsRejected() {
        // MSS with length 3, padded with a NOP; the checksum is put right so that only the option is wrong.
        ByteBuf buf = fromHex("04d2162e00000001000000026010040000000000" + "02030501");
        try {
            long sum = InternetChecksum.pseudoHeader(CLIENT, SERVER, org.mirage4j.api.net.IpProtocol.TCP, 24);
            buf.setShort(16, InternetChecksum.finish(InternetChecksum.add(sum, buf, 0, 24)));
            assertThat(packet.wrap(buf)).isNull();
            assertThat(packet.options().getFirst()).isEqualTo(new TcpOption.Unknown(2, Octets.of((byte) 5)));
            assertThat(TcpRepr.parse(packet, CLIENT, SERVER)).isEqualTo(Parsed.rejected(Malformed.BAD_LENGTH));
        } finally {
            buf.release();
        }
    }

    /** Options packed without padding can hold more than emit's layout: the SACK blocks that do not fit go. */
    @Test
    void sackBlocksBeyondTheEmittableAreLeftOut() {
        // MSS (4) + Timestamps (10) + SACK with 3 blocks (26) = 40 octets, no NOPs.
        String options = "020405b4" + "080a0000000100000002" + "051a" + "0000000a00000014" + "0000001e00000028"
                + "000000320000003c";
        ByteBuf buf = fromHex("04d2162e0000000100000002f010040000000000" + options);
        try {
            long sum = InternetChecksum.pseudoHeader(CLIENT, SERVER, org.mirage4j.api.net.IpProtocol.TCP, 60);
            buf.setShort(16, InternetChecksum.finish(InternetChecksum.add(sum, buf, 0, 60)));
            assertThat(packet.wrap(buf)).isNull();
            TcpRepr repr = TcpRepr.parse(packet, CLIENT, SERVER).valueOrNull();
            assertThat(repr.sackBlocks()).containsExactly(new SackBlock(new SeqNum(10), new SeqNum(20)),
                    new SackBlock(new SeqNum(30), new SeqNum(40)));
            assertThat(repr.headerLength()).isEqualTo(56);
        } finally {
            buf.release();
        }
    }

    @Test
    void tooManyOptionsIsAProgrammingError() {
        List<SackBlock> four = List.of(new SackBlock(new SeqNum(1), new SeqNum(2)), new SackBlock(new SeqNum(3), new SeqNum(4)),
                new SackBlock(new SeqNum(5), new SeqNum(6)), new SackBlock(new SeqNum(7), new SeqNum(8)));
        TcpRepr fourAlone = TcpRepr.of(1, 2, SeqNum.ZERO, SeqNum.ZERO, TcpRepr.ACK, 0).withSackBlocks(four);
        assertThat(fourAlone.headerLength()).isEqualTo(56);
        assertThatThrownBy(() -> fourAlone.withTimestamps(new TcpOption.Timestamps(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer SACK blocks");
        assertThatCode(() -> fourAlone.withSackBlocks(four.subList(0, TcpRepr.maxSackBlocks(true)))
                .withTimestamps(new TcpOption.Timestamps(1, 2))).doesNotThrowAnyException();
    }

    @Property
    void parseEmitRoundTrip(Gen gen) {
        TcpRepr repr = TcpGen.tcpRepr(gen);
        Ipv4Address source = WireGen.ipv4Address(gen);
        Ipv4Address destination = WireGen.ipv4Address(gen);
        ByteBuf payload = gen.byteBuf(0, 1500);
        ByteBuf out = TestBuffers.empty();
        try {
            repr.emit(out, source, destination, payload);
            assertThat(out.readableBytes()).isEqualTo(repr.bufferLength(payload.readableBytes()));
            assertThat(out.readableBytes() - payload.readableBytes()).as("header length is a whole number of words")
                    .isEqualTo(repr.headerLength()).matches(n -> n % 4 == 0);
            assertThat(packet.wrap(out)).isNull();
            assertThat(TcpRepr.parse(packet, source, destination)).isEqualTo(Parsed.ok(repr));
            assertThat(packet.payload()).isEqualTo(payload);
        } finally {
            out.release();
            payload.release();
        }
    }

    /** Damaged segments never throw out of wrap, the accessors or parse; what parses emits back to itself. */
    @Property(tries = 1000)
    void damagedSegmentsNeverThrow(Gen gen) {
        ByteBuf buf = TestBuffers.of(gen.mutate(TestBuffers.bytes(gen.oneOf(SYN, DATA, UNKNOWN_OPTION, RESET))));
        try {
            assertThatCode(() -> decode(buf, gen.bool())).doesNotThrowAnyException();
        } finally {
            buf.release();
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesNeverThrow(Gen gen) {
        ByteBuf buf = gen.byteBuf(0, 80);
        try {
            assertThatCode(() -> decode(buf, gen.bool())).doesNotThrowAnyException();
        } finally {
            buf.release();
        }
    }

    private void decode(ByteBuf buf, boolean repairChecksum) {
        if (packet.wrap(buf) != null) return;
        if (repairChecksum) {
            buf.setShort(16, 0);
            long sum = InternetChecksum.pseudoHeader(CLIENT, SERVER, org.mirage4j.api.net.IpProtocol.TCP, buf.readableBytes());
            buf.setShort(16, InternetChecksum.finish(InternetChecksum.add(sum, buf, 0, buf.readableBytes())));
        }
        packet.sourcePort();
        packet.destinationPort();
        packet.sequenceNumber();
        packet.acknowledgmentNumber();
        packet.flags();
        packet.reserved();
        packet.window();
        packet.urgentPointer();
        packet.options();
        packet.payload();
        if (TcpRepr.parse(packet, CLIENT, SERVER) instanceof Parsed.Ok<TcpRepr>(TcpRepr repr)) {
            repr.toString();
            ByteBuf out = TestBuffers.empty();
            try {
                ByteBuf payload = packet.payload();
                repr.emit(out, CLIENT, SERVER, payload);
                TcpPacket again = new TcpPacket();
                assertThat(again.wrap(out)).isNull();
                assertThat(TcpRepr.parse(again, CLIENT, SERVER)).isEqualTo(Parsed.ok(repr));
            } finally {
                out.release();
            }
        }
    }
}
