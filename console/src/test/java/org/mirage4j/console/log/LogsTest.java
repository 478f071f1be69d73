package org.mirage4j.console.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** System.getLogger, through the service-registered finder, into Logs and out to the console. */
class LogsTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final RecordingConsole console = new RecordingConsole();
    private final Logger logger = System.getLogger("tcpip.socket");

    @AfterEach
    void restoreTheSink() {
        Logs.detach();
        Logs.setLevels(LogLevels.DEFAULT);
    }

    @Test
    void theJdkFindsOurLoggerFinder() {
        assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(LogsLoggerFinder.class);
        assertThat(logger.getName()).isEqualTo("tcpip.socket");
    }

    @Test
    void anEntryReachesTheAttachedConsole() {
        Logs.attach(console);

        logger.log(Level.INFO, "listening on port 80");

        assertThat(console.lines).singleElement().asString()
                .matches(TIME + ": \\[INFO\\] \\[tcpip\\.socket\\] listening on port 80");
    }

    @Test
    void levelsDecideWhatIsShown() {
        Logs.attach(console);

        logger.log(Level.DEBUG, "hidden at the default level");
        Logs.setLevels(LogLevels.parse("tcpip:debug"));
        logger.log(Level.DEBUG, "shown for tcpip and its children");
        System.getLogger("udp").log(Level.DEBUG, "hidden: udp is at the default level");
        Logs.setLevels(LogLevels.parse("tcpip:debug,tcpip.socket:error"));
        logger.log(Level.WARNING, "hidden: the longer match says error");
        logger.log(Level.ERROR, "shown");

        assertThat(console.lines).hasSize(2);
        assertThat(console.lines.get(0)).endsWith("[DEBUG] [tcpip.socket] shown for tcpip and its children");
        assertThat(console.lines.get(1)).endsWith("[ERROR] [tcpip.socket] shown");
        assertThat(logger.isLoggable(Level.ERROR)).isTrue();
        assertThat(logger.isLoggable(Level.WARNING)).isFalse();
    }

    @Test
    void aHiddenEntryDoesNotRunItsSupplier() {
        Logs.attach(console);
        var calls = new AtomicInteger();

        logger.log(Level.DEBUG, () -> "expensive " + calls.incrementAndGet());
        logger.log(Level.INFO, () -> "expensive " + calls.incrementAndGet());

        assertThat(calls).hasValue(1);
        assertThat(console.lines).singleElement().asString().endsWith("] expensive 1");
    }

    @Test
    void parametersAreFormattedWithMessageFormat() {
        Logs.attach(console);

        logger.log(Level.INFO, "{0} connected to {1}", "10.0.0.2", "port 80");
        logger.log(Level.INFO, "no parameters: {0} stays");
        logger.log(Level.INFO, "an invalid pattern {oops", "kept");

        assertThat(console.lines).extracting(line -> line.substring(line.indexOf("] [tcpip.socket] ") + 17))
                .containsExactly("10.0.0.2 connected to port 80", "no parameters: {0} stays", "an invalid pattern {oops [kept]");
    }

    @Test
    void aBundleTranslatesTheMessageBeforeItIsFormatted() {
        Logs.attach(console);
        ResourceBundle bundle = new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[][] {{"greeting", "hello, {0}"}, {"bye", "goodbye"}};
            }
        };

        logger.log(Level.INFO, bundle, "greeting", "world");
        logger.log(Level.INFO, bundle, "bye", (Throwable) null);
        logger.log(Level.INFO, bundle, "untranslated key", (Object[]) null);
        System.getLogger("tcpip.socket", bundle).log(Level.INFO, "greeting", "localized logger");

        assertThat(console.lines).extracting(line -> line.substring(line.indexOf("] [tcpip.socket] ") + 17))
                .containsExactly("hello, world", "goodbye", "untranslated key", "hello, localized logger");
    }

    @Test
    void aThrowableIsPrintedOnTheFollowingLines() {
        Logs.attach(console);

        logger.log(Level.ERROR, "connection reset", new IllegalStateException("boom"));

        assertThat(console.lines).singleElement().satisfies(entry -> assertThat(entry.lines().toList())
                .element(0).asString().endsWith("[ERROR] [tcpip.socket] connection reset"))
                .satisfies(entry -> assertThat(entry.lines().toList())
                        .element(1).isEqualTo("java.lang.IllegalStateException: boom"));
    }

    @Test
    void withoutAConsoleEntriesGoToStandardError() {
        try (var stderr = new StandardError()) {
            logger.log(Level.WARNING, "before attach");
            Logs.attach(console);
            logger.log(Level.WARNING, "while attached");
            Logs.detach();
            logger.log(Level.WARNING, "after detach");

            assertThat(console.lines).singleElement().asString().endsWith("] while attached");
            assertThat(stderr.text().lines().toList()).satisfiesExactly(
                    line -> assertThat(line).matches(TIME + ": \\[WARNING\\] \\[tcpip\\.socket\\] before attach"),
                    line -> assertThat(line).matches(TIME + ": \\[WARNING\\] \\[tcpip\\.socket\\] after detach"));
        }
    }

    @Test
    void anEntryTheConsoleCannotTakeGoesToStandardError() {
        Logs.attach(new RecordingConsole() {
            @Override
            public void log(String line) {
                throw new IllegalStateException("disconnected");
            }
        });
        try (var stderr = new StandardError()) {
            logger.log(Level.ERROR, "still seen");

            assertThat(stderr.text()).endsWith("] still seen" + System.lineSeparator());
        }
    }

    @Test
    void isLoggableDoesNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Logs.setLevels(LogLevels.parse("tcpip.socket.tcp:debug,tcp:error,io.netty:warning,tcpip.arp:info,*:info"));
        int calls = 100_000;
        boolean shown = false;
        for (int i = 0; i < calls; i++) { // warm up, so that class loading and compilation are done
            shown |= logger.isLoggable(Level.DEBUG);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            shown |= logger.isLoggable(Level.DEBUG);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(shown).isFalse();
        // The smallest object takes 16 bytes; the JVM itself may allocate a few bytes now and then (a compiled
        // loop being swapped in), so fewer bytes than calls means that no call allocated.
        assertThat(allocated).isLessThan(calls);
    }
}
