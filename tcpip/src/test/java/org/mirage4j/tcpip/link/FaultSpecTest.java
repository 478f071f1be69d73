package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class FaultSpecTest {

    /** A spec with every value drawn, rates often at their edges, durations down to the nanosecond. */
    static FaultSpec randomSpec(Gen gen) {
        return new FaultSpec(rate(gen), rate(gen), rate(gen), gen.intBetween(1, FaultSpec.MAX_REORDER_AFTER), rate(gen),
                Duration.ofNanos(gen.random().nextLong(1, FaultSpec.MAX_DELAY.toNanos() + 1)), rate(gen), rate(gen),
                gen.bool() ? OptionalLong.of(gen.longValue()) : OptionalLong.empty(),
                gen.oneOf(FaultSpec.Direction.values()));
    }

    private static double rate(Gen gen) {
        return switch (gen.intBetween(0, 4)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> gen.intBetween(1, 999) / 1000.0;
            case 3 -> Double.MIN_VALUE * gen.intBetween(1, 10); // far below any decimal a user writes
            default -> gen.random().nextDouble();
        };
    }

    @Property
    void parsesWhatItFormats(Gen gen) {
        FaultSpec spec = randomSpec(gen);
        assertThat(FaultSpec.parse(spec.format())).isEqualTo(spec);
    }

    @Property
    void formatsWhatItParsesInCanonicalOrder(Gen gen) {
        FaultSpec spec = randomSpec(gen);
        String text = spec.format();
        assertThat(FaultSpec.parse(text).format()).isEqualTo(text);
    }

    @Test
    void parsesTheDocumentedExample() {
        FaultSpec spec = FaultSpec.parse(
                "drop=0.01,duplicate=0.01,reorder=0.02,delay=0.05:20ms,flip=0.001,truncate=0.001,seed=42,direction=both");
        assertThat(spec).isEqualTo(new FaultSpec(0.01, 0.01, 0.02, 1, 0.05, Duration.ofMillis(20), 0.001, 0.001,
                OptionalLong.of(42), FaultSpec.Direction.BOTH));
        assertThat(spec.format())
                .isEqualTo("drop=0.01,duplicate=0.01,reorder=0.02,delay=0.05:20ms,flip=0.001,truncate=0.001,seed=42");
    }

    @Test
    void acceptsAnyOrderSpacesAndCaseAndFillsInDefaults() {
        FaultSpec spec = FaultSpec.parse(" direction = RX , Delay=1 , reorder=0.5:3 ,seed=-7");
        assertThat(spec.direction()).isEqualTo(FaultSpec.Direction.RX);
        assertThat(spec.delay()).isEqualTo(1.0);
        assertThat(spec.delayBy()).isEqualTo(FaultSpec.DEFAULT_DELAY);
        assertThat(spec.reorder()).isEqualTo(0.5);
        assertThat(spec.reorderAfter()).isEqualTo(3);
        assertThat(spec.seed()).hasValue(-7);
        assertThat(spec.drop()).isZero();
        assertThat(spec.format()).isEqualTo("reorder=0.5:3,delay=1:10ms,seed=-7,direction=rx");
    }

    @Test
    void emptyTextIsNoFault() {
        assertThat(FaultSpec.parse("")).isEqualTo(FaultSpec.NONE);
        assertThat(FaultSpec.parse("  ")).isEqualTo(FaultSpec.NONE);
        assertThat(FaultSpec.NONE.format()).isEmpty();
        assertThat(FaultSpec.NONE.affectsReceive()).isFalse();
        assertThat(FaultSpec.NONE.affectsSend()).isFalse();
    }

    @Test
    void directionDecidesWhichSideIsAffected() {
        assertThat(FaultSpec.parse("drop=0.1,direction=rx").affectsReceive()).isTrue();
        assertThat(FaultSpec.parse("drop=0.1,direction=rx").affectsSend()).isFalse();
        assertThat(FaultSpec.parse("drop=0.1,direction=tx").affectsReceive()).isFalse();
        assertThat(FaultSpec.parse("drop=0.1,direction=tx").affectsSend()).isTrue();
        assertThat(FaultSpec.parse("seed=3,direction=tx").affectsSend()).as("no rate, no fault").isFalse();
    }

    @Test
    void negativeZeroIsZero() {
        assertThat(FaultSpec.parse("drop=-0")).isEqualTo(FaultSpec.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "dorp=0.1                 | 'dorp' is not a fault",
        "drop                     | has no value",
        "drop=0.1,,flip=0.1       | has an empty entry",
        "drop=0.1,                | has an empty entry",
        "drop=0.1,drop=0.2        | 'drop' is given twice",
        "drop=2                   | is not a number from 0 to 1",
        "drop=-0.5                | is not a number from 0 to 1",
        "drop=NaN                 | is not a number from 0 to 1",
        "drop=Infinity            | is not a number from 0 to 1",
        "drop=0x1p-3              | is not a number from 0 to 1",
        "drop=                    | is not a number from 0 to 1",
        "drop=0.1:3               | only delay (delay=0.05:20ms) and reorder (reorder=0.02:3) take",
        "delay=0.1:soon           | is not a duration",
        "delay=0.1:20s            | is out of range",
        "delay=0.1:0ms            | is out of range",
        "reorder=0.1:0            | is not a whole number from 1 to 64",
        "reorder=0.1:65           | is not a whole number from 1 to 64",
        "reorder=0.1:x            | is not a whole number from 1 to 64",
        "seed=forty-two           | is not a whole number",
        "direction=up             | is not a direction",
    })
    void rejectsBadTextWithOneSentence(String text, String expected) {
        assertThatThrownBy(() -> FaultSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertOneSentence(e.getMessage()));
    }

    @Test
    void constructorRejectsValuesOutOfRange() {
        assertThatThrownBy(() -> new FaultSpec(1.5, 0, 0, 1, 0, FaultSpec.DEFAULT_DELAY, 0, 0, OptionalLong.empty(),
                FaultSpec.Direction.BOTH)).hasMessageContaining("The rate of drop, 1.5, is not between 0 and 1")
                .satisfies(e -> assertOneSentence(e.getMessage()));
        assertThatThrownBy(() -> new FaultSpec(0, 0, 0, 1, 0, Duration.ofSeconds(11), 0, 0, OptionalLong.empty(),
                FaultSpec.Direction.BOTH)).hasMessageContaining("A delay of 11000ms is out of range")
                .satisfies(e -> assertOneSentence(e.getMessage()));
        assertThatThrownBy(() -> new FaultSpec(0, 0, 0, 0, 0, FaultSpec.DEFAULT_DELAY, 0, 0, OptionalLong.empty(),
                FaultSpec.Direction.BOTH)).hasMessageContaining("A reorder count of 0 is out of range")
                .satisfies(e -> assertOneSentence(e.getMessage()));
    }

    @Test
    void withSeedKeepsEverythingElse() {
        FaultSpec spec = FaultSpec.parse("drop=0.25,delay=0.5:3ms,direction=tx");
        FaultSpec seeded = spec.withSeed(99);
        assertThat(seeded.seed()).hasValue(99);
        assertThat(seeded.format()).isEqualTo("drop=0.25,delay=0.5:3ms,seed=99,direction=tx");
    }

    /**
     * One sentence: a capital (or a quoted value, or a {@code --key}) first, a full stop last, none in between but
     * those of numbers and examples.
     */
    static void assertOneSentence(String message) {
        assertThat(message).doesNotContain("\n").endsWith(".");
        assertThat(Character.isUpperCase(message.charAt(0)) || message.startsWith("'") || message.startsWith("--"))
                .as(message).isTrue();
        assertThat(message.substring(0, message.length() - 1)).doesNotContainPattern("\\.\\s+[A-Z]");
    }
}
