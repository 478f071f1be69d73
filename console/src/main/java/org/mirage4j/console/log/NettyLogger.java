package org.mirage4j.console.log;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.FormattingTuple;
import io.netty.util.internal.logging.MessageFormatter;
import java.io.Serial;
import java.lang.System.Logger.Level;

/**
 * A netty logger that writes through {@link Logs}. Netty's {@code {}} placeholders are filled in as netty does
 * (a trailing throwable argument becomes the entry's stack trace), and only when the level is shown. Netty's
 * WARN is {@link Level#WARNING}. Safe to use from any thread.
 */
final class NettyLogger extends AbstractInternalLogger {

    @Serial private static final long serialVersionUID = 1L;

    NettyLogger(String name) {
        super(name);
    }

    @Override public boolean isTraceEnabled() { return enabled(Level.TRACE); }
    @Override public void trace(String msg) { plain(Level.TRACE, msg, null); }
    @Override public void trace(String format, Object arg) { formatted(Level.TRACE, format, arg); }
    @Override public void trace(String format, Object a, Object b) { formatted(Level.TRACE, format, a, b); }
    @Override public void trace(String format, Object... args) { formatted(Level.TRACE, format, args); }
    @Override public void trace(String msg, Throwable t) { plain(Level.TRACE, msg, t); }

    @Override public boolean isDebugEnabled() { return enabled(Level.DEBUG); }
    @Override public void debug(String msg) { plain(Level.DEBUG, msg, null); }
    @Override public void debug(String format, Object arg) { formatted(Level.DEBUG, format, arg); }
    @Override public void debug(String format, Object a, Object b) { formatted(Level.DEBUG, format, a, b); }
    @Override public void debug(String format, Object... args) { formatted(Level.DEBUG, format, args); }
    @Override public void debug(String msg, Throwable t) { plain(Level.DEBUG, msg, t); }

    @Override public boolean isInfoEnabled() { return enabled(Level.INFO); }
    @Override public void info(String msg) { plain(Level.INFO, msg, null); }
    @Override public void info(String format, Object arg) { formatted(Level.INFO, format, arg); }
    @Override public void info(String format, Object a, Object b) { formatted(Level.INFO, format, a, b); }
    @Override public void info(String format, Object... args) { formatted(Level.INFO, format, args); }
    @Override public void info(String msg, Throwable t) { plain(Level.INFO, msg, t); }

    @Override public boolean isWarnEnabled() { return enabled(Level.WARNING); }
    @Override public void warn(String msg) { plain(Level.WARNING, msg, null); }
    @Override public void warn(String format, Object arg) { formatted(Level.WARNING, format, arg); }
    @Override public void warn(String format, Object a, Object b) { formatted(Level.WARNING, format, a, b); }
    @Override public void warn(String format, Object... args) { formatted(Level.WARNING, format, args); }
    @Override public void warn(String msg, Throwable t) { plain(Level.WARNING, msg, t); }

    @Override public boolean isErrorEnabled() { return enabled(Level.ERROR); }
    @Override public void error(String msg) { plain(Level.ERROR, msg, null); }
    @Override public void error(String format, Object arg) { formatted(Level.ERROR, format, arg); }
    @Override public void error(String format, Object a, Object b) { formatted(Level.ERROR, format, a, b); }
    @Override public void error(String format, Object... args) { formatted(Level.ERROR, format, args); }
    @Override public void error(String msg, Throwable t) { plain(Level.ERROR, msg, t); }

    private boolean enabled(Level level) {
        return Logs.isLoggable(name(), level);
    }

    private void plain(Level level, String msg, Throwable thrown) {
        Logs.log(name(), level, String.valueOf(msg), thrown);
    }

    // One overload per arity, so that a call at a hidden level allocates no argument array.
    private void formatted(Level level, String format, Object arg) {
        if (enabled(level)) {
            emit(level, MessageFormatter.format(format, arg));
        }
    }

    private void formatted(Level level, String format, Object a, Object b) {
        if (enabled(level)) {
            emit(level, MessageFormatter.format(format, a, b));
        }
    }

    private void formatted(Level level, String format, Object[] args) {
        if (enabled(level)) {
            emit(level, MessageFormatter.arrayFormat(format, args));
        }
    }

    private void emit(Level level, FormattingTuple entry) {
        Logs.log(name(), level, String.valueOf(entry.getMessage()), entry.getThrowable());
    }
}
