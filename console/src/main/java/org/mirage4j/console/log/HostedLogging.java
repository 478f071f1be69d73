package org.mirage4j.console.log;

import java.lang.System.Logger.Level;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes logs to {@link Logs} when the unikernel runs inside another program's JVM, as under
 * {@code mvn exec:java}.
 *
 * <p>There the JDK chose its logger finder before our jar was on any class path it searches, so
 * {@code System.getLogger} hands out {@code java.util.logging} loggers and {@link LogsLoggerFinder}
 * is never asked. This points {@code java.util.logging}'s root logger at {@link Logs} instead, so
 * the console and the {@code -l} levels work there too. In a JVM of its own (the unix process,
 * the kvm image) the finder is ours and this does nothing.
 *
 * <p>Called once, on the main thread, before the devices are connected.
 */
public final class HostedLogging {

    private HostedLogging() {}

    /** Whether {@code System.getLogger} reaches {@link Logs} directly in this JVM. */
    public static boolean finderIsOurs() {
        return System.LoggerFinder.getLoggerFinder() instanceof LogsLoggerFinder;
    }

    /** Routes {@code java.util.logging} to {@link Logs} when the JVM's logger finder is not ours. */
    public static void install() {
        if (finderIsOurs()) return;
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        root.setLevel(java.util.logging.Level.ALL); // Logs applies the -l levels
        root.addHandler(new ToLogs());
    }

    /** One {@code java.util.logging} record to {@link Logs}, under its logger's name as the source. */
    private static final class ToLogs extends Handler {
        private final Formatter messages = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            String source = record.getLoggerName() == null ? "" : record.getLoggerName();
            Level level = level(record.getLevel());
            if (!Logs.isLoggable(source, level)) return;
            Logs.log(source, level, messages.formatMessage(record), record.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        private static Level level(java.util.logging.Level level) {
            int v = level.intValue();
            if (v >= java.util.logging.Level.SEVERE.intValue()) return Level.ERROR;
            if (v >= java.util.logging.Level.WARNING.intValue()) return Level.WARNING;
            if (v >= java.util.logging.Level.INFO.intValue()) return Level.INFO;
            if (v >= java.util.logging.Level.FINE.intValue()) return Level.DEBUG;
            return Level.TRACE;
        }
    }
}
