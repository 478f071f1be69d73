package org.mirage4j.console.log;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * Routes netty's own logging (its leak reports among them) through {@link Logs}.
 *
 * <p>Netty does not log through {@link System.Logger}: without SLF4J or Log4j on the class path it falls back to
 * {@code java.util.logging}, which bypasses {@link LogsLoggerFinder}. Each netty class takes its logger once, when
 * it is initialised, so call {@link #install()} first thing in {@code main}, before any {@code ByteBuf} exists.
 */
public final class NettyLogging {

    private NettyLogging() {}

    /** Makes netty classes initialised from now on log through {@link Logs}, under their class names as sources. */
    public static void install() {
        InternalLoggerFactory.setDefaultFactory(new Factory());
    }

    /** Whether netty's loggers are those of {@link #install()}. */
    public static boolean installed() {
        return InternalLoggerFactory.getDefaultFactory() instanceof Factory;
    }

    private static final class Factory extends InternalLoggerFactory {
        @Override
        protected InternalLogger newInstance(String name) {
            return new NettyLogger(name);
        }
    }
}
