package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The http skeleton built with {@code -Dmirage.net=direct}: mirage4j's own TCP/IP stack on a tap device inside a
 * network namespace, served to curl and wrk running on the Linux side of the tap (10.0.0.1; the app is 10.0.0.2).
 */
@RequiresNetNs
@RequiresCommands({"curl", "wrk"})
class DirectHttpIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String URL = "http://10.0.0.2:8080/";

    @TempDir static Path work;
    private static Path http;
    private static NetNs ns;

    @BeforeAll
    static void build() throws Exception {
        http = AppCopy.build(work, "http", Map.of(), "-Dmirage.net=direct", "package", "-DskipTests");
        ns = TapNamespace.create("http");
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) ns.close();
    }

    /** The app on the namespace's tap, serving once it says so. */
    private static App startApp() throws Exception {
        App app = App.startIn(http, "--interface=tap0", "--netns=" + ns.name(), "--ipv4=10.0.0.2/24");
        app.awaitLine("ready", Duration.ofSeconds(60));
        return app;
    }

    @Test
    void curlGetsTheIndexByteForByte() throws Exception {
        try (App app = startApp()) {
            CommandResult curl = ns.run(TIMEOUT, "curl", "-sS", "--max-time", "20", URL);
            assertThat(curl.exitCode()).as(curl.stderr()).isZero();
            assertThat(curl.stdout()).isEqualTo(Files.readString(AppCopy.ROOT.resolve("skeleton-apps/http/htdocs/index.html")));
        }
    }

    /** Issue 4: 1 000 concurrent keep-alive connections, every request answered, none failing. */
    @Test
    void aThousandConcurrentKeepAliveConnectionsCompleteWithoutErrors() throws Exception {
        App app = startApp();
        CommandResult wrk;
        try {
            wrk = ns.run(TIMEOUT, "sh", "-c", "ulimit -n 8192 && wrk -t2 -c1000 -d10s --timeout 10s " + URL);
        } finally {
            app.close(); // the stack's last line has its TCP counters
        }
        String report = wrk.stdout() + wrk.stderr() + "\nThe app's last lines:\n"
                + String.join("\n", app.lines().subList(Math.max(0, app.lines().size() - 5), app.lines().size()));
        System.out.println("DirectHttpIT: wrk -c1000 on the direct stack:\n" + report);
        assertThat(wrk.exitCode()).as(report).isZero();
        assertThat(wrk.stdout()).as(report).doesNotContain("Socket errors").doesNotContain("Non-2xx");
        Matcher requests = Pattern.compile("(\\d+) requests in").matcher(wrk.stdout());
        assertThat(requests.find()).as(report).isTrue();
        assertThat(Long.parseLong(requests.group(1))).as("more requests than connections").isGreaterThan(1000);
        assertThat(app.lines()).noneMatch(l -> l.contains("LEAK"));
    }
}
