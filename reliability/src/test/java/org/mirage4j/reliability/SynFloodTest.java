package org.mirage4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.direct.DropReason;
import org.mirage4j.tcpip.tcp.TcpConfig;
import org.mirage4j.tcpip.tcp.TcpCounter;
import org.mirage4j.tcpip.tcp.TcpStats;

/**
 * A SYN flood in-process (issue 9, part 3; skeleton-apps' SynFloodIT runs it with hping3 over a tap): 50 000 SYNs
 * from spoofed addresses on the link that never answer, while the peer keeps fetching the page. The listener's
 * backlog fills, SYN cookies take over, the stack's TCP table stays within the backlog, and every fetch succeeds.
 */
class SynFloodTest {

    private static final int SYNS = 50_000;

    @Test
    void theStackKeepsServingThroughASynFloodOnSynCookies() throws Exception {
        try (StackPair pair = StackPair.start()) {
            AtomicBoolean flooding = new AtomicBoolean(true);
            List<String> fetches = new ArrayList<>();
            List<Long> millis = new ArrayList<>();
            Thread client = Thread.ofVirtual().start(() -> {
                try {
                    while (flooding.get()) {
                        long start = System.nanoTime();
                        String page = pair.httpGet(Duration.ofSeconds(10));
                        millis.add((System.nanoTime() - start) / 1_000_000);
                        fetches.add(page.substring(0, Math.min(page.length(), HttpPage.STATUS.length())));
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    fetches.add("failed: " + e);
                }
            });
            SplittableRandom random = new SplittableRandom(7);
            int maxConnections = 0;
            for (int i = 0; i < SYNS; i++) {
                Ipv4Address spoofed = Ipv4Address.parse("10.0.0." + random.nextInt(100, 250));
                pair.inject(HostileFrames.syn(spoofed, random.nextInt(1024, 65536), random.nextInt()));
                if (i % 1000 == 0) maxConnections = Math.max(maxConnections, pair.stack().tcpStats().connections());
            }
            assertThat(pair.drain(Duration.ofSeconds(30))).isTrue();
            flooding.set(false);
            assertThat(client.join(Duration.ofSeconds(30))).isTrue();

            TcpStats tcp = pair.stack().tcpStats();
            System.out.println("SynFloodTest: " + SYNS + " SYNs; " + fetches.size() + " fetches meanwhile, slowest "
                    + millis.stream().mapToLong(Long::longValue).max().orElse(-1) + " ms; most connections held "
                    + maxConnections + "; " + tcp);
            assertThat(fetches).isNotEmpty().allMatch(HttpPage.STATUS::equals);
            assertThat(tcp.get(TcpCounter.LISTEN_OVERFLOWS)).as("the backlog filled").isPositive();
            assertThat(tcp.get(TcpCounter.SYN_COOKIES_SENT)).as("SYN cookies took over").isPositive();
            // The half-open connections the backlog holds, the fetches' connections and their TIME-WAITs: no more.
            assertThat(maxConnections).isLessThanOrEqualTo(TcpConfig.DEFAULT.acceptBacklog() + fetches.size() + 16);
            assertThat(pair.stack().stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
            assertThat(pair.httpGet(Duration.ofSeconds(10))).startsWith(HttpPage.STATUS);
        }
    }
}
