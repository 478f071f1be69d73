package org.mirage4j.tcpip.wire;

import java.util.List;
import org.mirage4j.testing.Gen;

/** Random TCP representations for the round-trip properties: any value the constructor accepts. */
final class TcpGen {

    private TcpGen() {}

    static SeqNum seqNum(Gen gen) {
        return new SeqNum(gen.random().nextInt());
    }

    static TcpRepr tcpRepr(Gen gen) {
        int mss = gen.bool() ? gen.intBetween(1, 0xFFFF) : 0;
        int windowScale = gen.bool() ? gen.intBetween(0, 0xFF) : -1;
        boolean sackPermitted = gen.bool();
        TcpOption.Timestamps timestamps = gen.bool()
                ? new TcpOption.Timestamps(gen.random().nextInt(), gen.random().nextInt()) : null;
        // As many SACK blocks as the other options leave room for.
        int room = TcpPacket.MAX_OPTIONS_LENGTH - (mss != 0 ? 4 : 0) - (windowScale >= 0 ? 4 : 0)
                - (timestamps != null ? 12 : sackPermitted ? 4 : 0);
        int maxBlocks = room >= 12 ? (room - 4) / 8 : 0;
        List<SackBlock> blocks = gen.listOf(0, maxBlocks, () -> new SackBlock(seqNum(gen), seqNum(gen)));
        return new TcpRepr(gen.intBetween(0, 0xFFFF), gen.intBetween(0, 0xFFFF), seqNum(gen), seqNum(gen),
                gen.intBetween(0, 0xFF), gen.intBetween(0, 0xFFFF), gen.intBetween(0, 0xFFFF), mss, windowScale,
                sackPermitted, blocks, timestamps);
    }
}
