package org.mirage4j.console.log;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The log level of every source, as given by MirageOS's {@code -l} option: a default level and levels for
 * named sources.
 *
 * <p>The text is a comma-separated list of {@code SOURCE:LEVEL} items, where a bare {@code LEVEL} or
 * {@code *:LEVEL} sets the default, for example {@code tcpip:debug,*:warning} or just {@code debug}. A source's
 * level applies to the source and to its dotted children ({@code tcpip} covers {@code tcpip.socket}); the
 * longest matching source wins, and a source that nothing matches gets the default ({@code info} when the text
 * does not set one). When an item repeats a source, the last one counts, as on a command line.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class LogLevels {

    /** Every source at {@code info}: what a unikernel uses when {@code -l} is not given. */
    public static final LogLevels DEFAULT = new LogLevels(LogLevel.INFO, Map.of());

    private static final String ANY_SOURCE = "*";
    /** Dotted names such as {@code tcpip.socket} or {@code io.netty.util.ResourceLeakDetector}. */
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*");

    private final LogLevel defaultLevel;
    private final Map<String, LogLevel> sources;
    // The same rules as parallel arrays, longest source first, so that the first match is the longest one and
    // levelFor neither allocates nor looks at more than the rules.
    private final String[] ruleSources;
    private final LogLevel[] ruleLevels;

    private LogLevels(LogLevel defaultLevel, Map<String, LogLevel> sources) {
        this.defaultLevel = defaultLevel;
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
        this.ruleSources = this.sources.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toArray(String[]::new);
        this.ruleLevels = Arrays.stream(ruleSources).map(this.sources::get).toArray(LogLevel[]::new);
    }

    /**
     * Levels with {@code defaultLevel} for every source not in {@code sources}.
     *
     * @throws IllegalArgumentException if a source is not a dotted name such as {@code tcpip.socket}
     */
    public static LogLevels of(LogLevel defaultLevel, Map<String, LogLevel> sources) {
        Objects.requireNonNull(defaultLevel, "defaultLevel");
        sources.forEach((source, level) -> {
            Objects.requireNonNull(level, "level");
            if (!SOURCE.matcher(source).matches()) {
                throw new IllegalArgumentException("'" + source + "' is not a log source name: use a dotted name"
                        + " of letters, digits, '_', '-' and '$' such as tcpip.socket.");
            }
        });
        return new LogLevels(defaultLevel, sources);
    }

    /**
     * Parses the text of the {@code -l} key, such as {@code tcpip:debug,*:info} or {@code debug}. Spaces around
     * items, sources and levels are ignored, and level names may be in any case.
     *
     * @throws IllegalArgumentException with one sentence that shows a valid example
     */
    public static LogLevels parse(String text) {
        Objects.requireNonNull(text, "text");
        LogLevel defaultLevel = LogLevel.INFO;
        Map<String, LogLevel> sources = new TreeMap<>();
        for (String item : text.split(",", -1)) {
            int colon = item.indexOf(':');
            String source = colon < 0 ? ANY_SOURCE : item.substring(0, colon).strip();
            LogLevel level = LogLevel.fromText(item.substring(colon + 1).strip());
            if (level == null || !(source.equals(ANY_SOURCE) || SOURCE.matcher(source).matches())) {
                throw invalid(text, item.strip());
            }
            if (source.equals(ANY_SOURCE)) {
                defaultLevel = level;
            } else {
                sources.put(source, level);
            }
        }
        return new LogLevels(defaultLevel, sources);
    }

    private static IllegalArgumentException invalid(String text, String item) {
        return new IllegalArgumentException("Log levels '" + text + "' are not valid at '" + item + "': write"
                + " comma-separated SOURCE:LEVEL items or a bare LEVEL, with LEVEL one of quiet, error, warning,"
                + " info or debug, for example -l tcpip:debug,*:info.");
    }

    /** The level of sources that no rule names. */
    public LogLevel defaultLevel() {
        return defaultLevel;
    }

    /** The levels given for named sources, sorted by source; unmodifiable. */
    public Map<String, LogLevel> sources() {
        return sources;
    }

    /**
     * The level of {@code source}: that of the longest named source equal to it or a dotted parent of it,
     * else the default. Does not allocate.
     */
    public LogLevel levelFor(String source) {
        for (int i = 0; i < ruleSources.length; i++) {
            if (covers(ruleSources[i], source)) {
                return ruleLevels[i];
            }
        }
        return defaultLevel;
    }

    /** Whether a message of {@code level} from {@code source} is shown. Does not allocate. */
    public boolean isLoggable(String source, Level level) {
        return levelFor(source).shows(level);
    }

    /** Whether {@code rule} is {@code source} or one of its dotted parents ({@code tcpip} of {@code tcpip.socket}). */
    private static boolean covers(String rule, String source) {
        return source.startsWith(rule)
                && (source.length() == rule.length() || source.charAt(rule.length()) == '.');
    }

    /**
     * The text that {@link #parse} turns back into these levels: the named sources in order, then the default,
     * for example {@code tcpip:debug,*:info}.
     */
    public String format() {
        StringBuilder text = new StringBuilder();
        sources.forEach((source, level) -> text.append(source).append(':').append(level.text()).append(','));
        return text.append(ANY_SOURCE).append(':').append(defaultLevel.text()).toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogLevels that && defaultLevel == that.defaultLevel && sources.equals(that.sources);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultLevel, sources);
    }

    /** The same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }
}
