package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class AssemblerTest {

    @Test
    void mergesTouchingRuns() {
        Assembler a = new Assembler(4);
        assertThat(a.add(10, 20)).isTrue();
        assertThat(a.add(30, 40)).isTrue();
        assertThat(a.add(20, 30)).isTrue();
        assertThat(a.toString()).isEqualTo("[10..40]");
        assertThat(a.advance(10)).isEqualTo(40);
        assertThat(a.isEmpty()).isTrue();
    }

    @Test
    void refusesARunBeyondItsBound() {
        Assembler a = new Assembler(2);
        assertThat(a.add(10, 20)).isTrue();
        assertThat(a.add(30, 40)).isTrue();
        assertThat(a.add(50, 60)).isFalse();
        assertThat(a.add(15, 35)).as("merging needs no new run").isTrue();
        assertThat(a.toString()).isEqualTo("[10..40]");
    }

    /** The runs always match the set of octets received, renumbered from RCV.NXT as it moves. */
    @Property(tries = 500)
    void matchesASetOfOctets(Gen gen) {
        int maxRuns = gen.intBetween(1, 6);
        Assembler a = new Assembler(maxRuns);
        BitSet held = new BitSet();
        for (int step = 0; step < 60; step++) {
            if (gen.intBetween(0, 3) == 0) {
                int n = gen.intBetween(1, 30);
                int moved = a.advance(n);
                held.set(0, n);
                int reach = held.nextClearBit(0);
                assertThat(moved).isEqualTo(reach);
                held = held.get(reach, Math.max(reach, held.length()));
            } else {
                int start = gen.intBetween(1, 150);
                int end = start + gen.intBetween(1, 40);
                BitSet after = (BitSet) held.clone();
                after.set(start, end);
                boolean fits = runs(after).size() <= maxRuns;
                assertThat(a.add(start, end)).isEqualTo(fits);
                if (fits) held = after;
            }
            List<int[]> expected = runs(held);
            assertThat(a.runs()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(a.start(i)).isEqualTo(expected.get(i)[0]);
                assertThat(a.end(i)).isEqualTo(expected.get(i)[1]);
            }
        }
    }

    private static List<int[]> runs(BitSet bits) {
        List<int[]> runs = new ArrayList<>();
        int start = bits.nextSetBit(0);
        while (start >= 0) {
            int end = bits.nextClearBit(start);
            runs.add(new int[] {start, end});
            start = bits.nextSetBit(end);
        }
        return runs;
    }
}
