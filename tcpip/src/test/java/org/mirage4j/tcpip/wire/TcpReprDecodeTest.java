package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.wire.TestBuffers.fromHex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * {@link TcpRepr#decode}, which reads the options where they lie, against the reading through the decoded
 * {@link TcpOption} list ({@link TcpPacket#options()}) that it replaced on the receive path: the same header, or the
 * same rejection, for every option list the view accepts.
 */
class TcpReprDecodeTest {

    private static final int[] KINDS = {TcpOption.KIND_END, TcpOption.KIND_NOP, TcpOption.KIND_MSS,
            TcpOption.KIND_WINDOW_SCALE, TcpOption.KIND_SACK_PERMITTED, TcpOption.KIND_SACK, TcpOption.KIND_TIMESTAMPS,
            6, 30, 254};

    /** Random option lists, mostly well framed, with right and wrong lengths, repeats, End and padding. */
    @Property(tries = 2000)
    void decodesAsTheOptionListDoes(Gen gen) {
        ByteBuf segment = segment(gen);
        try {
            TcpPacket packet = new TcpPacket();
            if (packet.wrap(segment) != null) return; // framing the view rejects never reaches a decoder
            TcpRepr expected = throughOptionList(packet);
            assertThat(TcpRepr.decode(packet)).isEqualTo(expected);
        } finally {
            segment.release();
        }
    }

    @Test
    void readsEachKnownOptionOnce() {
        // MSS 1460, SACK-permitted, timestamps (1, 2), NOP, window scale 7, then a second MSS that must not count.
        String options = "020405b4" + "0402" + "080a0000000100000002" + "01" + "030307" + "02040218";
        ByteBuf buf = fromHex("04d2162e" + "00000001" + "00000002" + "b010" + "0400" + "0000" + "0000" + options);
        try {
            TcpPacket packet = new TcpPacket();
            assertThat(packet.wrap(buf)).isNull();
            TcpRepr repr = TcpRepr.decode(packet);
            assertThat(repr.maxSegmentSize()).isEqualTo(1460);
            assertThat(repr.sackPermitted()).isTrue();
            assertThat(repr.timestamps()).isEqualTo(new TcpOption.Timestamps(1, 2));
            assertThat(repr.windowScale()).isEqualTo(7);
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsAKnownOptionOfTheWrongLength() {
        ByteBuf buf = fromHex("04d2162e" + "00000001" + "00000002" + "6010" + "0400" + "0000" + "0000" + "03040500");
        try {
            TcpPacket packet = new TcpPacket();
            assertThat(packet.wrap(buf)).isNull();
            assertThat(TcpRepr.decode(packet)).isNull(); // a window scale option 4 octets long
        } finally {
            buf.release();
        }
    }

    /** A TCP header with a random option list of 0 to 40 octets, padded to a word, and no data. */
    private static ByteBuf segment(Gen gen) {
        ByteBuf options = Unpooled.buffer(TcpPacket.MAX_OPTIONS_LENGTH);
        int budget = gen.intBetween(0, TcpPacket.MAX_OPTIONS_LENGTH);
        while (options.writerIndex() < budget) {
            int kind = KINDS[gen.intBetween(0, KINDS.length - 1)];
            if (kind == TcpOption.KIND_END || kind == TcpOption.KIND_NOP) {
                options.writeByte(kind);
                continue;
            }
            int length = switch (kind) {
                case TcpOption.KIND_MSS -> 4;
                case TcpOption.KIND_WINDOW_SCALE -> 3;
                case TcpOption.KIND_SACK_PERMITTED -> 2;
                case TcpOption.KIND_SACK -> 2 + SackBlock.LENGTH * gen.intBetween(1, 4);
                case TcpOption.KIND_TIMESTAMPS -> TcpOption.Timestamps.LENGTH;
                default -> gen.intBetween(2, 12);
            };
            if (gen.intBetween(0, 9) == 0) length = gen.intBetween(0, 14); // a wrong length, or a bad frame
            options.writeByte(kind).writeByte(length);
            for (int i = 2; i < length; i++) options.writeByte(gen.intBetween(0, 255));
        }
        if (options.writerIndex() > TcpPacket.MAX_OPTIONS_LENGTH) options.writerIndex(TcpPacket.MAX_OPTIONS_LENGTH);
        while (options.writerIndex() % 4 != 0) options.writeByte(TcpOption.KIND_END);
        int headerLength = TcpPacket.HEADER_LENGTH + options.writerIndex();
        ByteBuf segment = Unpooled.buffer(headerLength);
        segment.writeShort(gen.intBetween(1, 0xFFFF)).writeShort(gen.intBetween(1, 0xFFFF));
        segment.writeInt((int) gen.longValue()).writeInt((int) gen.longValue());
        segment.writeByte((headerLength / 4) << 4).writeByte(gen.intBetween(0, 255));
        segment.writeShort(gen.intBetween(0, 0xFFFF)).writeShort(0).writeShort(gen.intBetween(0, 0xFFFF));
        segment.writeBytes(options);
        options.release();
        return segment;
    }

    /** The header as the receive path read it before decode: through the list of decoded options. */
    private static TcpRepr throughOptionList(TcpPacket packet) {
        int mss = 0;
        int windowScale = -1;
        boolean sackPermitted = false;
        List<SackBlock> sackBlocks = null;
        TcpOption.Timestamps timestamps = null;
        for (TcpOption option : packet.options()) {
            switch (option) {
                case TcpOption.MaxSegmentSize(int value) -> {
                    if (mss == 0) mss = value;
                }
                case TcpOption.WindowScale(int shift) -> {
                    if (windowScale < 0) windowScale = shift;
                }
                case TcpOption.SackPermitted p -> sackPermitted = true;
                case TcpOption.Sack(List<SackBlock> blocks) -> {
                    if (sackBlocks == null) sackBlocks = blocks;
                }
                case TcpOption.Timestamps ts -> {
                    if (timestamps == null) timestamps = ts;
                }
                case TcpOption.Unknown(int kind, Octets data) -> {
                    if (kind == TcpOption.KIND_MSS || kind == TcpOption.KIND_WINDOW_SCALE
                            || kind == TcpOption.KIND_SACK_PERMITTED || kind == TcpOption.KIND_SACK
                            || kind == TcpOption.KIND_TIMESTAMPS) {
                        return null;
                    }
                }
                case TcpOption.End e -> {}
                case TcpOption.NoOperation n -> {}
            }
        }
        if (sackBlocks == null) {
            sackBlocks = List.of();
        } else {
            int others = (mss != 0 ? 4 : 0) + (timestamps != null ? 12 : sackPermitted ? 4 : 0) + (windowScale >= 0 ? 4 : 0);
            int room = TcpPacket.MAX_OPTIONS_LENGTH - others;
            int fit = room >= 4 + SackBlock.LENGTH ? (room - 4) / SackBlock.LENGTH : 0;
            if (sackBlocks.size() > fit) sackBlocks = sackBlocks.subList(0, fit);
        }
        return new TcpRepr(packet.sourcePort(), packet.destinationPort(), packet.sequenceNumber(),
                packet.acknowledgmentNumber(), packet.flags(), packet.window(), packet.urgentPointer(), mss,
                windowScale, sackPermitted, sackBlocks, timestamps);
    }
}
