package org.mirage4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenTest {

    @Property
    void theSameSeedGivesTheSameValues(Gen gen) {
        long seed = gen.longValue();
        assertThat(sample(new Gen(seed))).isEqualTo(sample(new Gen(seed)));
        assertThat(new Gen(seed).seed()).isEqualTo(seed);
    }

    @Test
    void differentSeedsGiveDifferentValues() {
        assertThat(sample(new Gen(1))).isNotEqualTo(sample(new Gen(2)));
    }

    @Property
    void intBetweenStaysWithinItsBounds(Gen gen) {
        int a = gen.random().nextInt();
        int b = gen.random().nextInt();
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        assertThat(gen.intBetween(lo, hi)).isBetween(lo, hi);
        assertThat(gen.intBetween(Integer.MIN_VALUE, Integer.MAX_VALUE)).isBetween(Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(gen.intBetween(hi, hi)).isEqualTo(hi);
    }

    @Test
    void intBetweenReachesBothEnds() {
        Gen gen = new Gen(7);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(gen.intBetween(-1, 1));
        }
        assertThat(seen).containsExactlyInAnyOrder(-1, 0, 1);
    }

    @Test
    void intBetweenRefusesAnEmptyRange() {
        assertThatThrownBy(() -> new Gen(1).intBetween(3, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void lengthsStayWithinTheirBounds(Gen gen) {
        int min = gen.intBetween(0, 20);
        int max = gen.intBetween(min, 40);
        assertThat(gen.bytes(min)).hasSize(min);
        assertThat(gen.bytes(min, max).length).isBetween(min, max);
        assertThat(gen.listOf(min, max, gen::bool)).hasSizeBetween(min, max);
        String ascii = gen.asciiString(min, max);
        assertThat(ascii.length()).isBetween(min, max);
        assertThat(ascii.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    @Property
    void listOfFillsTheListFromTheSupplier(Gen gen) {
        List<Integer> supplied = new ArrayList<>();
        List<Integer> list = gen.listOf(0, 10, () -> {
            supplied.add(supplied.size());
            return supplied.size() - 1;
        });
        assertThat(list).isEqualTo(supplied);
    }

    @Property
    void oneOfPicksAChoice(Gen gen) {
        assertThat(gen.oneOf("a", "b", "c")).isIn("a", "b", "c");
        assertThat(gen.oneOf(List.of(1, 2))).isIn(1, 2);
    }

    @Test
    void oneOfPicksEveryChoiceSometimes() {
        Gen gen = new Gen(3);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(gen.oneOf("a", "b", "c"));
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void oneOfRefusesNoChoices() {
        assertThatThrownBy(() -> new Gen(1).oneOf(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void byteBufHoldsRandomBytesAndBelongsToTheCaller(Gen gen) {
        long seed = gen.longValue();
        ByteBuf buf = new Gen(seed).byteBuf(0, 64);
        try {
            assertThat(buf.readableBytes()).isBetween(0, 64);
            assertThat(buf.refCnt()).isEqualTo(1);
            assertThat(buf.isDirect()).isFalse();
            byte[] content = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), content);
            assertThat(content).isEqualTo(new Gen(seed).bytes(0, 64));
        } finally {
            buf.release();
        }
    }

    @Property
    void mutateAlwaysDamagesACopy(Gen gen) {
        byte[] original = gen.bytes(0, 32);
        byte[] before = original.clone();
        byte[] mutated = gen.mutate(original);
        assertThat(mutated).isNotEqualTo(original);
        assertThat(original).isEqualTo(before);
    }

    @Test
    void mutateTruncatesExtendsAndRewrites() {
        Gen gen = new Gen(11);
        byte[] original = new Gen(12).bytes(16);
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] mutated = gen.mutate(original);
            kinds.add(mutated.length < original.length ? "shorter"
                    : mutated.length > original.length ? "longer" : "same length");
        }
        assertThat(kinds).containsExactlyInAnyOrder("shorter", "longer", "same length");
    }

    @Test
    void mutateExtendsAnEmptyArray() {
        assertThat(new Gen(5).mutate(new byte[0])).isNotEmpty();
    }

    /** One of each value, so that a change in any method shows. */
    private static List<Object> sample(Gen gen) {
        List<Object> values = new ArrayList<>();
        values.add(gen.intBetween(-1000, 1000));
        values.add(gen.longValue());
        values.add(gen.bool());
        values.add(Arrays.toString(gen.bytes(0, 16)));
        values.add(gen.oneOf("x", "y", "z"));
        values.add(gen.listOf(0, 5, gen::longValue));
        values.add(gen.asciiString(0, 16));
        values.add(Arrays.toString(gen.mutate(gen.bytes(1, 8))));
        ByteBuf buf = gen.byteBuf(0, 8);
        values.add(io.netty.buffer.ByteBufUtil.hexDump(buf));
        buf.release();
        return values;
    }
}
