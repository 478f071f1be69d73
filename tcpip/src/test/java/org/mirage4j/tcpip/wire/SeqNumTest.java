package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/** RFC 9293 section 3.4: sequence numbers compare modulo 2^32. */
class SeqNumTest {

    @Test
    void comparesAcrossTheWrap() {
        SeqNum before = new SeqNum(0xFFFF_FFF0);
        SeqNum after = before.plus(0x20);
        assertThat(after.raw()).isEqualTo(0x10);
        assertThat(before.isBefore(after)).isTrue();
        assertThat(after.isAfter(before)).isTrue();
        assertThat(after.minus(before)).isEqualTo(0x20);
        assertThat(before.minus(after)).isEqualTo(-0x20);
        assertThat(after.max(before)).isEqualTo(after);
        assertThat(after.min(before)).isEqualTo(before);
        assertThat(after.toString()).isEqualTo("16");
        assertThat(before.toString()).isEqualTo("4294967280");
    }

    @Test
    void windowsAreHalfOpen() {
        SeqNum start = new SeqNum(-5);
        assertThat(start.inWindow(start, 10)).isTrue();
        assertThat(start.plus(9).inWindow(start, 10)).isTrue();
        assertThat(start.plus(10).inWindow(start, 10)).isFalse();
        assertThat(start.plus(-1).inWindow(start, 10)).isFalse();
        assertThat(start.inWindow(start, 0)).as("an empty window holds nothing").isFalse();
        assertThat(start.plus(1).isAfterAndAtMost(start, start.plus(1))).isTrue();
        assertThat(start.isAfterAndAtMost(start, start.plus(1))).isFalse();
    }

    @Property
    void plusAndMinusAreInverse(Gen gen) {
        SeqNum a = TcpGen.seqNum(gen);
        int n = gen.random().nextInt();
        assertThat(a.plus(n).minus(a)).isEqualTo(n);
        assertThat(a.plus(n).plus(-n)).isEqualTo(a);
    }

    /** Within half the number space, the order agrees with the integers the numbers stand for. */
    @Property
    void orderMatchesTheDistance(Gen gen) {
        SeqNum a = TcpGen.seqNum(gen);
        int d = gen.intBetween(-(1 << 30), 1 << 30);
        SeqNum b = a.plus(d);
        assertThat(a.isBefore(b)).isEqualTo(d > 0);
        assertThat(a.isBeforeOrEqual(b)).isEqualTo(d >= 0);
        assertThat(a.isAfter(b)).isEqualTo(d < 0);
        assertThat(a.isAfterOrEqual(b)).isEqualTo(d <= 0);
        assertThat(b.isAfter(a)).isEqualTo(a.isBefore(b));
        assertThat(a.max(b).minus(a.min(b))).isEqualTo(Math.abs(d));
    }

    @Property
    void orderIsTransitiveWithinAWindow(Gen gen) {
        SeqNum a = TcpGen.seqNum(gen);
        SeqNum b = a.plus(gen.intBetween(1, 1 << 29));
        SeqNum c = b.plus(gen.intBetween(1, 1 << 29));
        assertThat(a.isBefore(b) && b.isBefore(c)).isTrue();
        assertThat(a.isBefore(c)).isTrue();
    }

    @Property
    void inWindowMatchesTheOffset(Gen gen) {
        SeqNum start = TcpGen.seqNum(gen);
        int length = gen.intBetween(0, Integer.MAX_VALUE);
        int offset = gen.random().nextInt();
        boolean expected = offset >= 0 && offset < length;
        assertThat(start.plus(offset).inWindow(start, length)).isEqualTo(expected);
        if (length > 0) {
            assertThat(start.plus(offset).inWindow(start, length))
                    .isEqualTo(start.plus(offset).isAfterOrEqual(start) && start.plus(offset).isBefore(start.plus(length)));
        }
    }
}
