package org.mirage4j.tcpip.direct;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Counts the records of WARNING and above a logger publishes while open (JDK logging backs System.Logger in tests). */
final class WarningCounter extends Handler implements AutoCloseable {

    private final Logger logger;
    private final AtomicInteger warnings = new AtomicInteger();

    /** Starts counting what {@code loggerName} logs. */
    WarningCounter(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    /** The warnings counted so far. */
    int warnings() {
        return warnings.get();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) warnings.incrementAndGet();
    }

    @Override
    public void flush() {}

    /** Stops counting. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
