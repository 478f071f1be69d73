package org.mirage4j.console.log;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * How much a log source reports, as MirageOS's Logs levels: each level shows its own messages and those
 * more severe. {@link #DEBUG} is the most verbose and also shows {@link Level#TRACE} messages (Logs has no
 * trace level); {@link #QUIET} shows nothing.
 */
public enum LogLevel {
    QUIET(Integer.MAX_VALUE),
    ERROR(Level.ERROR.getSeverity()),
    WARNING(Level.WARNING.getSeverity()),
    INFO(Level.INFO.getSeverity()),
    DEBUG(Level.TRACE.getSeverity());

    private final int minSeverity;

    LogLevel(int minSeverity) {
        this.minSeverity = minSeverity;
    }

    /**
     * Whether a message of {@code level} is shown. Messages logged at {@link Level#ALL} or {@link Level#OFF}
     * are never shown: those are thresholds, not severities. Does not allocate.
     */
    public boolean shows(Level level) {
        return level != Level.OFF && level.getSeverity() >= minSeverity;
    }

    /** The name as written in the {@code -l} key: {@code quiet}, {@code error}, {@code warning}, {@code info}, {@code debug}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code text} (any case), or {@code null} if there is none. */
    static LogLevel fromText(String text) {
        for (LogLevel level : values()) {
            if (level.name().equalsIgnoreCase(text)) {
                return level;
            }
        }
        return null;
    }
}
