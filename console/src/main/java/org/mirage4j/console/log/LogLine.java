package org.mirage4j.console.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The text of one log entry, as MirageOS's default reporter writes it:
 *
 * <pre>
 * 2026-11-27T18:26:53.123Z: [INFO] [tcpip.socket] listening on port 80
 * </pre>
 *
 * followed, when the entry has a throwable, by its stack trace on the next lines. The text has no final line
 * break: {@link org.mirage4j.api.Console#log} adds it.
 */
final class LogLine {

    // Always three digits of milliseconds (ISO_INSTANT drops them when they are zero), always UTC.
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LogLine() {}

    /** The entry logged at {@code time}; {@code thrown} may be null. */
    static String format(Instant time, Level level, String source, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(64 + message.length());
        TIME.formatTo(time, line);
        line.append(": [").append(level.getName()).append("] [").append(source).append("] ").append(message);
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        return line.toString();
    }
}
