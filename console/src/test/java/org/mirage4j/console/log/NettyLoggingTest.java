package org.mirage4j.console.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyLoggingTest {

    private final RecordingConsole console = new RecordingConsole();
    private InternalLoggerFactory previous;

    @BeforeEach
    void install() {
        previous = InternalLoggerFactory.getDefaultFactory();
        NettyLogging.install();
        Logs.attach(console);
    }

    @AfterEach
    void restore() {
        InternalLoggerFactory.setDefaultFactory(previous);
        Logs.detach();
        Logs.setLevels(LogLevels.DEFAULT);
    }

    @Test
    void nettysEntriesReachTheConsoleUnderTheirClassNames() {
        assertThat(NettyLogging.installed()).isTrue();
        InternalLogger logger = InternalLoggerFactory.getInstance(NettyLoggingTest.class);

        logger.info("{} of {} buffers", 3, 4);
        logger.warn("plain warning");

        assertThat(console.lines).satisfiesExactly(
                line -> assertThat(line).endsWith(": [INFO] [org.mirage4j.console.log.NettyLoggingTest] 3 of 4 buffers"),
                line -> assertThat(line).endsWith(": [WARNING] [org.mirage4j.console.log.NettyLoggingTest] plain warning"));
    }

    @Test
    void aTrailingThrowableBecomesTheStackTrace() {
        InternalLogger logger = InternalLoggerFactory.getInstance("io.netty.util.ResourceLeakDetector");

        logger.error("LEAK: {}", "a record", new IllegalStateException("leaked"));

        assertThat(console.lines).singleElement().satisfies(entry -> assertThat(entry.lines().toList())
                .startsWith(entry.lines().findFirst().orElseThrow(), "java.lang.IllegalStateException: leaked")
                .first().asString().endsWith("[ERROR] [io.netty.util.ResourceLeakDetector] LEAK: a record"));
    }

    @Test
    void levelsApplyToNettySources() {
        InternalLogger logger = InternalLoggerFactory.getInstance("io.netty.buffer.PoolArena");

        logger.debug("hidden {}", 1);
        assertThat(logger.isDebugEnabled()).isFalse();
        Logs.setLevels(LogLevels.parse("io.netty:debug,*:error"));
        logger.debug("shown {} {} {}", 1, 2, 3);
        logger.trace("trace is shown at debug too");
        logger.info("hidden by nothing: io.netty is at debug");
        InternalLoggerFactory.getInstance("other").warn("hidden: the default is error");

        assertThat(logger.isDebugEnabled()).isTrue();
        assertThat(console.lines).satisfiesExactly(
                line -> assertThat(line).endsWith("[DEBUG] [io.netty.buffer.PoolArena] shown 1 2 3"),
                line -> assertThat(line).endsWith("[TRACE] [io.netty.buffer.PoolArena] trace is shown at debug too"),
                line -> assertThat(line).endsWith("[INFO] [io.netty.buffer.PoolArena] hidden by nothing: io.netty is at debug"));
    }
}
