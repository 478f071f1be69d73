package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class FaultDiceTest {

    @Property(tries = 50)
    void theSameSeedDrawsTheSameFaults(Gen gen) {
        FaultSpec spec = FaultSpecTest.randomSpec(gen);
        long seed = gen.longValue();
        FaultDice a = new FaultDice(spec, new SplittableRandom(seed));
        FaultDice b = new FaultDice(spec, new SplittableRandom(seed));
        for (int i = 0; i < 100; i++) {
            assertThat(a.roll()).isEqualTo(b.roll());
        }
    }

    @Property(tries = 50)
    void rateZeroNeverFiresAndRateOneAlwaysDoes(Gen gen) {
        FaultDice none = new FaultDice(FaultSpec.NONE, new SplittableRandom(gen.longValue()));
        FaultDice all = new FaultDice(FaultSpec.parse("drop=1,duplicate=1,reorder=1,delay=1,flip=1,truncate=1"),
                new SplittableRandom(gen.longValue()));
        FaultDice reorderOnly = new FaultDice(FaultSpec.parse("reorder=1"), new SplittableRandom(gen.longValue()));
        for (int i = 0; i < 100; i++) {
            assertThat(none.roll().none()).isTrue();
            FaultDraw every = all.roll();
            assertThat(List.of(every.drop(), every.truncate(), every.flip(), every.duplicate(), every.delay()))
                    .containsOnly(true);
            assertThat(every.reorder()).as("a delayed frame is not also held").isFalse();
            assertThat(reorderOnly.roll().reorder()).isTrue();
        }
    }

    @Test
    void ratesAreFrequencies() {
        FaultDice dice = new FaultDice(FaultSpec.parse("drop=0.25,flip=0.5"), new SplittableRandom(1));
        int drops = 0;
        int flips = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            FaultDraw draw = dice.roll();
            if (draw.drop()) drops++;
            if (draw.flip()) flips++;
        }
        // Five standard deviations of a binomial: a correct implementation fails this once in millions of seeds.
        assertThat(drops).isBetween(25_000 - 700, 25_000 + 700);
        assertThat(flips).isBetween(50_000 - 800, 50_000 + 800);
    }

    @Property
    void aCutKeepsTheHeaderAndLosesAtLeastOneByte(Gen gen) {
        byte[] original = gen.bytes(0, 100);
        ByteBuf frame = FrameBytes.tracked(original);
        try {
            FaultCounters counters = new FaultCounters();
            draw(gen, true, false).damage(frame, counters);
            byte[] after = ByteBufUtil.getBytes(frame);
            if (original.length <= FaultDraw.MIN_TRUNCATED_LENGTH) {
                assertThat(after).isEqualTo(original);
                assertThat(counters.truncated.sum()).isZero();
            } else {
                assertThat(after.length).isBetween(FaultDraw.MIN_TRUNCATED_LENGTH, original.length - 1);
                assertThat(original).startsWith(after);
                assertThat(counters.truncated.sum()).isOne();
            }
        } finally {
            frame.release();
        }
    }

    @Property
    void aFlipChangesExactlyOneBit(Gen gen) {
        byte[] original = gen.bytes(0, 100);
        ByteBuf frame = FrameBytes.tracked(original);
        try {
            FaultCounters counters = new FaultCounters();
            draw(gen, false, true).damage(frame, counters);
            byte[] after = ByteBufUtil.getBytes(frame);
            assertThat(after).hasSameSizeAs(original);
            assertThat(FrameBytes.bitsDiffering(original, after)).isEqualTo(original.length == 0 ? 0 : 1);
            assertThat(counters.flipped.sum()).isEqualTo(original.length == 0 ? 0 : 1);
        } finally {
            frame.release();
        }
    }

    @Test
    void everyBitCanBeFlipped() {
        byte[] original = new byte[3];
        List<Integer> seen = new ArrayList<>();
        for (long bits = 0; bits < 24; bits++) {
            ByteBuf frame = FrameBytes.tracked(original);
            try {
                new FaultDraw(false, false, true, false, false, false, 0, bits).damage(frame, new FaultCounters());
                byte[] after = ByteBufUtil.getBytes(frame);
                for (int i = 0; i < 24; i++) {
                    if ((after[i >>> 3] & (1 << (i & 7))) != 0) seen.add(i);
                }
            } finally {
                frame.release();
            }
        }
        assertThat(seen).hasSize(24).doesNotHaveDuplicates();
    }

    private static FaultDraw draw(Gen gen, boolean truncate, boolean flip) {
        return new FaultDraw(false, truncate, flip, false, false, false, gen.longValue(), gen.longValue());
    }
}
