package org.mirage4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.Ipv6Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class KeyTypeTest {

    /** A random value for every key type; a new type without one fails {@link #everyTypeHasAGenerator}. */
    private static final Map<KeyType<?>, Function<Gen, ?>> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put(KeyType.STRING, gen -> gen.asciiString(0, 20));
        VALUES.put(KeyType.INT, gen -> gen.random().nextInt());
        VALUES.put(KeyType.LONG, Gen::longValue);
        VALUES.put(KeyType.BOOLEAN, Gen::bool);
        VALUES.put(KeyType.DURATION, KeyTypeTest::duration);
        VALUES.put(KeyType.IPV4_ADDRESS, KeyTypeTest::ipv4);
        VALUES.put(KeyType.IPV4_PREFIX, gen -> new Ipv4Prefix(ipv4(gen), gen.intBetween(0, 32)));
        VALUES.put(KeyType.IP_ADDRESS, gen -> gen.bool() ? ipv4(gen) : new Ipv6Address(gen.longValue(), gen.longValue()));
        VALUES.put(KeyType.MAC_ADDRESS, gen -> new MacAddress(gen.longValue() & 0xFFFF_FFFF_FFFFL));
    }

    @Test
    void everyTypeHasAGenerator() {
        assertThat(VALUES.keySet()).containsExactlyInAnyOrderElementsOf(KeyType.all());
    }

    @Property
    void everyTypeParsesWhatItFormats(Gen gen) {
        for (KeyType<?> type : KeyType.all()) {
            assertRoundTrip(type, VALUES.get(type).apply(gen));
        }
    }

    @Property
    void spacesAroundAValueAreForgivenExceptInAString(Gen gen) {
        String spaces = " ".repeat(gen.intBetween(1, 3));
        int port = gen.intBetween(0, 65535);
        assertThat(KeyType.INT.parse(spaces + port + spaces)).isEqualTo(port);
        assertThat(KeyType.STRING.parse(spaces + "x" + spaces)).isEqualTo(spaces + "x" + spaces);
    }

    /** Each type's refusal shows a value it would take. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "int          | eighty     | 8080",
        "int          | 99999999999 | 8080",
        "long         | 1e6        | 1048576",
        "bool         | maybe      | true",
        "duration     | soon       | 500ms",
        "duration     | 9223372036854775807h | 500ms",
        "duration     | 9223372036854775807m | 500ms",
        "duration     | PT         | 500ms",
        "ipv4-address | 10.0.0     | 10.0.0.2",
        "ipv4-prefix  | 10.0.0.2   | 10.0.0.2/24",
        "ip-address   | 10.0.0.256 | 10.0.0.2",
        "ip-address   | fe80:::1   | fe80::1",
        "mac-address  | 02:00:00   | 02:00:00:00:00:01",
    })
    void refusesInvalidTextWithAValidExample(String typeName, String text, String example) {
        KeyType<?> type = byName(typeName);

        assertThatThrownBy(() -> type.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining(example);
        assertThat(catchThrowable(() -> type.parse(example))).isNull();
    }

    @Property
    void arbitraryTextIsRefusedOnlyWithIllegalArgumentException(Gen gen) {
        String text = gen.bool() ? gen.asciiString(0, 24) : gen.oneOf("", "-", "P", "PT", "1", "0x") + gen.oneOf(
                "", "ms", "s", "m", "h", "9223372036854775807", "D", ".", ":", "/");
        for (KeyType<?> type : KeyType.all()) {
            Throwable thrown = catchThrowable(() -> type.parse(text));
            if (thrown != null) {
                assertThat(thrown).as("%s of '%s'", type, text).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void readsTheShortDurations() {
        assertThat(KeyType.DURATION.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(KeyType.DURATION.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(KeyType.DURATION.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(KeyType.DURATION.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(KeyType.DURATION.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(KeyType.DURATION.parse("P1D")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void readsBooleansAsPeopleWriteThem() {
        for (String yes : new String[] {"true", "TRUE", "yes", "on", "1"}) {
            assertThat(KeyType.BOOLEAN.parse(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "False", "no", "off", "0"}) {
            assertThat(KeyType.BOOLEAN.parse(no)).as(no).isFalse();
        }
    }

    @Test
    void findsTheTypeOfAJavaClass() {
        assertThat(KeyType.of(int.class)).contains(KeyType.INT);
        assertThat(KeyType.of(Integer.class)).contains(KeyType.INT);
        assertThat(KeyType.of(long.class)).contains(KeyType.LONG);
        assertThat(KeyType.of(boolean.class)).contains(KeyType.BOOLEAN);
        assertThat(KeyType.of(Ipv4Prefix.class)).contains(KeyType.IPV4_PREFIX);
        assertThat(KeyType.of(Object.class)).isEmpty();
        for (KeyType<?> type : KeyType.all()) {
            assertFoundByItsJavaType(type);
            assertThat(type).hasToString(type.name());
        }
    }

    private static <T> void assertFoundByItsJavaType(KeyType<T> type) {
        assertThat(KeyType.of(type.javaType())).contains(type);
    }

    private static <T> void assertRoundTrip(KeyType<T> type, Object value) {
        T typed = type.javaType().cast(value);
        assertThat(type.parse(type.format(typed))).as("%s %s", type, value).isEqualTo(typed);
    }

    private static KeyType<?> byName(String name) {
        return KeyType.all().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static Ipv4Address ipv4(Gen gen) {
        return new Ipv4Address(gen.random().nextInt());
    }

    /** Small durations most of the time, now and then one near the ends of Duration's range. */
    private static Duration duration(Gen gen) {
        long seconds = gen.bool() ? gen.intBetween(-100_000, 100_000) : gen.longValue();
        int nanos = gen.oneOf(0, 500_000_000, gen.intBetween(0, 999_999_999));
        return Duration.ofSeconds(seconds, nanos);
    }
}
