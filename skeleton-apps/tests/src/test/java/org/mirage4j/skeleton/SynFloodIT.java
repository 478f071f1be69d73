package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.mirage4j.testing.netns.NetNsProcess;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * Issue 9, part 3: the http skeleton on the direct stack (a tap in a network namespace, as {@link DirectHttpIT})
 * under a SYN flood from hping3 in the namespace, 5 000 SYNs a second from a spoofed address that never answers,
 * while curl keeps fetching the page. Every fetch succeeds within a generous bound, the listener falls back on SYN
 * cookies (the counters the stack logs as it goes down), and the app's memory stays bounded. That the stack's
 * tables stay within the backlog is shown in-process by the reliability module's SynFloodTest.
 */
@RequiresNetNs
@RequiresCommands({"curl", "hping3"})
class SynFloodIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String URL = "http://10.0.0.2:8080/";
    /** Fetches during the flood, one every 200 ms. */
    private static final int FETCHES = 60;
    /** What counts as served: a busy 2-core machine runs the flood, the app and curl at once. */
    private static final double MAX_FETCH_SECONDS = 5.0;

    @TempDir static Path work;
    private static Path http;
    private static NetNs ns;

    @BeforeAll
    static void build() throws Exception {
        http = AppCopy.build(work, "http", Map.of(), "-Dmirage.net=direct", "package", "-DskipTests");
        ns = TapNamespace.create("synflood");
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) ns.close();
    }

    @Test
    void curlIsServedThroughoutASynFlood() throws Exception {
        App app = App.startIn(http, "--interface=tap0", "--netns=" + ns.name(), "--ipv4=10.0.0.2/24");
        List<String> fetches;
        long rssDuring;
        long rssAfter;
        try {
            app.awaitLine("ready", Duration.ofSeconds(60));
            CommandResult before = ns.run(TIMEOUT, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", URL);
            assertThat(before.stdout()).as(before.stderr()).isEqualTo("200");

            // 10.0.0.77 is on the link but nobody: the SYN-ACKs go unanswered, as from a spoofing attacker.
            try (NetNsProcess flood = ns.start("hping3", "-q", "-S", "-p", "8080", "-a", "10.0.0.77", "-i", "u200", "10.0.0.2")) {
                Thread.sleep(3000); // the listener's backlog fills first
                assertThat(flood.isAlive()).as("hping3 floods: " + flood).isTrue();
                String loop = "for i in $(seq 1 " + FETCHES + "); do"
                        + " curl -sS -o /dev/null -w '%{http_code} %{time_total}\\n' --max-time 20 " + URL + " || echo failed;"
                        + " sleep 0.2; done";
                CommandResult clients = ns.run(TIMEOUT, "sh", "-c", loop);
                fetches = clients.stdout().lines().toList();
                rssDuring = rssKib(app);
                assertThat(flood.isAlive()).as("hping3 flooded all along").isTrue();
            }
            Thread.sleep(2000);
            rssAfter = rssKib(app);
        } finally {
            app.close(); // the stack logs its counters as it goes down
        }
        String tail = String.join("\n", app.lines().subList(Math.max(0, app.lines().size() - 8), app.lines().size()));
        System.out.println("SynFloodIT: " + FETCHES + " fetches during the flood, RSS " + rssDuring + " KiB during, "
                + rssAfter + " KiB after; the app's last lines:\n" + tail);

        assertThat(fetches).hasSize(FETCHES);
        List<Double> seconds = new ArrayList<>();
        for (String fetch : fetches) {
            assertThat(fetch).as("every fetch is served: " + fetches + "\n" + tail).startsWith("200 ");
            seconds.add(Double.parseDouble(fetch.substring(4)));
        }
        double slowest = seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("SynFloodIT: slowest fetch %.3f s, median %.3f s%n", slowest, seconds.stream().sorted().toList().get(FETCHES / 2));
        assertThat(slowest).as("the slowest fetch, in seconds").isLessThan(MAX_FETCH_SECONDS);

        // The stack's last line, as it goes down, has TCP's counters: the flood met SYN cookies, not a table per SYN.
        Matcher cookies = Pattern.compile("syn_cookies_sent=(\\d+)").matcher(app.output());
        assertThat(cookies.find()).as("the stack answered the flood with SYN cookies:\n" + tail).isTrue();
        assertThat(Long.parseLong(cookies.group(1))).isPositive();
        assertThat(rssAfter).as("resident memory after the flood, KiB").isLessThan(Math.max(rssDuring * 3 / 2, 1L << 20));
        assertThat(app.lines()).noneMatch(l -> l.contains("LEAK"));
    }

    /** The app's resident set, from /proc (the app is the newest java process running mirage.Main from its build). */
    private static long rssKib(App app) throws Exception {
        long pid = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("mirage.Main")
                        && p.info().commandLine().orElse("").contains(http.toString()))
                .mapToLong(ProcessHandle::pid).max().orElseThrow(() -> new AssertionError("the app's process is gone:\n" + app.output()));
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
