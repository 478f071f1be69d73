package org.mirage4j.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;

/**
 * How the text of a runtime key becomes a value, and back.
 *
 * <p>{@code parse(format(v))} equals {@code v} for every type here, so defaults can be written as
 * text by the build and shown as text by {@code --help}.
 *
 * @param <T> the Java type of the value
 */
public final class KeyType<T> {

    public static final KeyType<String> STRING = new KeyType<>("string", String.class, s -> s, s -> s);
    public static final KeyType<Integer> INT =
            new KeyType<>("int", Integer.class, KeyType::parseInt, String::valueOf);
    public static final KeyType<Long> LONG = new KeyType<>("long", Long.class, KeyType::parseLong, String::valueOf);
    public static final KeyType<Boolean> BOOLEAN =
            new KeyType<>("bool", Boolean.class, KeyType::parseBoolean, String::valueOf);
    public static final KeyType<Duration> DURATION =
            new KeyType<>("duration", Duration.class, KeyType::parseDuration, KeyType::formatDuration);
    public static final KeyType<Ipv4Address> IPV4_ADDRESS =
            new KeyType<>("ipv4-address", Ipv4Address.class, Ipv4Address::parse, Ipv4Address::toString);
    public static final KeyType<Ipv4Prefix> IPV4_PREFIX =
            new KeyType<>("ipv4-prefix", Ipv4Prefix.class, Ipv4Prefix::parse, Ipv4Prefix::toString);
    public static final KeyType<IpAddress> IP_ADDRESS =
            new KeyType<>("ip-address", IpAddress.class, IpAddress::parse, IpAddress::toString);
    public static final KeyType<MacAddress> MAC_ADDRESS =
            new KeyType<>("mac-address", MacAddress.class, MacAddress::parse, MacAddress::toString);

    private static final List<KeyType<?>> ALL =
            List.of(STRING, INT, LONG, BOOLEAN, DURATION, IPV4_ADDRESS, IPV4_PREFIX, IP_ADDRESS, MAC_ADDRESS);

    private final String name;
    private final Class<T> javaType;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private KeyType(String name, Class<T> javaType, Function<String, T> parser, Function<T, String> formatter) {
        this.name = name;
        this.javaType = javaType;
        this.parser = parser;
        this.formatter = formatter;
    }

    /** The type for a Java class ({@code int.class} and {@code Integer.class} alike), if keys may have it. */
    @SuppressWarnings("unchecked")
    public static <T> Optional<KeyType<T>> of(Class<T> javaType) {
        Class<?> boxed = box(javaType);
        return ALL.stream().filter(t -> t.javaType == boxed).map(t -> (KeyType<T>) t).findFirst();
    }

    /** Every type a key may have, for error messages. */
    public static List<KeyType<?>> all() {
        return ALL;
    }

    /** A short name for {@code --help}, such as {@code int} or {@code ipv4-prefix}. */
    public String name() {
        return name;
    }

    /** The boxed Java type of the values. */
    public Class<T> javaType() {
        return javaType;
    }

    /**
     * Parses the text of a key.
     *
     * @throws IllegalArgumentException whose message says what a valid value looks like
     */
    public T parse(String text) {
        Objects.requireNonNull(text, "text");
        // A string keeps its spaces, so that parse(format(v)) is v; other types forgive spaces around the value.
        return parser.apply(javaType == String.class ? text : text.strip());
    }

    /** The text that {@link #parse} turns back into {@code value}. */
    public String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    private static Class<?> box(Class<?> c) {
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == boolean.class) return Boolean.class;
        return c;
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number such as 8080.");
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number such as 1048576.");
        }
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false.");
        };
    }

    /** Accepts ISO-8601 ({@code PT1.5S}) and the short forms {@code 1500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    private static Duration parseDuration(String s) {
        try {
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("pt") || lower.startsWith("p")) return Duration.parse(s);
            if (lower.endsWith("ms")) return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
            if (lower.endsWith("s")) return Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1)));
            if (lower.endsWith("m")) return Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1)));
            if (lower.endsWith("h")) return Duration.ofHours(Long.parseLong(lower.substring(0, lower.length() - 1)));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // fall through to the one message below (ArithmeticException: too many minutes or hours for a Duration)
        }
        throw new IllegalArgumentException("'" + s + "' is not a duration such as 500ms, 2s, 5m or PT1.5S.");
    }

    private static String formatDuration(Duration d) {
        return d.toString();
    }
}
