package org.mirage4j.console.log;

/**
 * Makes {@link System#getLogger(String)} return loggers that write through {@link Logs}, for our code, the
 * libraries and the JDK alike.
 *
 * <p>The JDK finds this class through {@code META-INF/services/java.lang.System$LoggerFinder} the first time
 * any code asks for a logger; nothing has to call it. There must be only one such service on the class path.
 */
public final class LogsLoggerFinder extends System.LoggerFinder {

    /** Called by the JDK's service loader. */
    public LogsLoggerFinder() {}

    /** A logger for the source {@code name}, the same for every module. */
    @Override
    public System.Logger getLogger(String name, Module module) {
        return new SourceLogger(name);
    }
}
