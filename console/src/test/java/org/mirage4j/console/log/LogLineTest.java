package org.mirage4j.console.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLineTest {

    @Test
    void theLineOfMirageOsDefaultReporter() {
        Instant time = Instant.parse("2026-11-27T18:26:53.123456789Z");

        assertThat(LogLine.format(time, Level.INFO, "tcpip.socket", "listening on port 80", null))
                .isEqualTo("2026-11-27T18:26:53.123Z: [INFO] [tcpip.socket] listening on port 80");
    }

    @Test
    void alwaysThreeDigitsOfMilliseconds() {
        Instant time = Instant.parse("2026-01-02T03:04:05Z");

        assertThat(LogLine.format(time, Level.WARNING, "net", "m", null))
                .isEqualTo("2026-01-02T03:04:05.000Z: [WARNING] [net] m");
    }

    @Test
    void eachLevelHasItsLabel() {
        Instant time = Instant.EPOCH;

        assertThat(LogLine.format(time, Level.ERROR, "s", "m", null)).contains(": [ERROR] [s] m");
        assertThat(LogLine.format(time, Level.DEBUG, "s", "m", null)).contains(": [DEBUG] [s] m");
        assertThat(LogLine.format(time, Level.TRACE, "s", "m", null)).contains(": [TRACE] [s] m");
    }

    @Test
    void aThrowablesStackTraceFollowsOnTheNextLines() {
        var cause = new IllegalStateException("inner");
        var thrown = new RuntimeException("outer", cause);

        String entry = LogLine.format(Instant.EPOCH, Level.ERROR, "app", "failed", thrown);

        assertThat(entry.lines().toList())
                .startsWith("1970-01-01T00:00:00.000Z: [ERROR] [app] failed", "java.lang.RuntimeException: outer")
                .anySatisfy(line -> assertThat(line).startsWith("\tat org.mirage4j.console.log.LogLineTest."))
                .anySatisfy(line -> assertThat(line).isEqualTo("Caused by: java.lang.IllegalStateException: inner"));
        assertThat(entry).doesNotEndWith("\n");
    }
}
