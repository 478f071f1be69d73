package org.mirage4j.console.log;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Objects;
import org.mirage4j.api.Console;

/**
 * The process-wide log sink, as MirageOS's {@code Logs} reporter: every {@link System.Logger} (through
 * {@link LogsLoggerFinder}) and netty's own logging (after {@link NettyLogging#install()}) end up here.
 *
 * <p>Entries whose level {@link #setLevels(LogLevels) the levels} do not show are dropped at once, without
 * allocating. The others become one {@link LogLine} each, written whole to the {@link #attach(Console) attached}
 * console, or to standard error while none is attached (before the console is connected, and after it is
 * disconnected), so nothing is lost.
 *
 * <p>Safe to use from any thread; an entry is written on the thread that logs it.
 */
public final class Logs {

    private static volatile LogLevels levels = LogLevels.DEFAULT;
    private static volatile Console console;

    private Logs() {}

    /** Shows from now on what {@code levels} allows, typically parsed from the {@code -l} key. */
    public static void setLevels(LogLevels levels) {
        Logs.levels = Objects.requireNonNull(levels, "levels");
    }

    /** The levels in force. */
    public static LogLevels levels() {
        return levels;
    }

    /**
     * Writes every entry from now on to {@code console}, which must be connected, in place of standard error
     * or of the console attached before. Call {@link #detach()} before disconnecting it.
     */
    public static void attach(Console console) {
        Logs.console = Objects.requireNonNull(console, "console");
    }

    /** Writes every entry from now on to standard error again. */
    public static void detach() {
        console = null;
    }

    /** Whether an entry of {@code level} from {@code source} would be written. Does not allocate. */
    static boolean isLoggable(String source, Level level) {
        return levels.isLoggable(source, level);
    }

    /**
     * Writes an entry, timestamped now, if the levels show it; {@code thrown} may be null. Never throws: when
     * the console fails, the entry goes to standard error.
     */
    static void log(String source, Level level, String message, Throwable thrown) {
        if (!isLoggable(source, level)) {
            return;
        }
        String line = LogLine.format(Instant.now(), level, source, message, thrown);
        Console target = console;
        if (target != null) {
            try {
                target.log(line);
                return;
            } catch (RuntimeException e) {
                // The console is gone (disconnected, device error): keep the entry, on standard error.
            }
        }
        System.err.println(line);
    }
}
