package org.mirage4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.direct.DirectStats;
import org.mirage4j.tcpip.direct.DropReason;
import org.mirage4j.testing.Gen;

/**
 * Issue 9's CI criterion, exactly: every build sends at least 100 000 malformed or fuzzed frames at a running direct
 * stack (its own receive loop and timer on the real clock), with 0 escaped exceptions, and the stack answers ping
 * and HTTP afterwards. The frames are damaged copies of real ARP, ICMP, UDP, fragment and TCP frames (to the
 * listening HTTP port too) plus random bytes, from a fixed seed so that a failure repeats.
 */
class BarrageTest {

    private static final int FRAMES = 100_000;
    private static final long SEED = 0x9_1551E;

    @Test
    void afterOneHundredThousandDamagedFramesTheStackStillAnswersPingAndHttp() throws Exception {
        Gen gen = new Gen(SEED);
        List<byte[]> templates = HostileFrames.templates();
        try (StackPair pair = StackPair.start()) {
            assertThat(pair.ping(1, Duration.ofSeconds(5))).as("ping before the barrage").isTrue();
            long receivedBefore = pair.stack().stats().stack().received();
            long start = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) pair.inject(HostileFrames.next(gen, templates));
            assertThat(pair.drain(Duration.ofSeconds(60))).as("the stack took every frame").isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;

            DirectStats stats = pair.stack().stats();
            System.out.printf("BarrageTest: %d damaged frames (seed %d) in %.1f s; dropped %d; TCP %s%n", FRAMES, SEED,
                    seconds, stats.totalDropped(), pair.stack().tcpStats());
            assertThat(stats.stack().received() - receivedBefore).as("frames the stack took in").isGreaterThanOrEqualTo(FRAMES);
            assertThat(stats.stack().dropped(DropReason.INTERNAL_ERROR)).as("frames whose handling threw").isZero();
            assertThat(stats.totalDropped()).as("garbage is counted as dropped").isGreaterThan(FRAMES / 2);

            assertThat(pair.ping(2, Duration.ofSeconds(5))).as("ping after the barrage").isTrue();
            String response = pair.httpGet(Duration.ofSeconds(10));
            assertThat(response).startsWith(HttpPage.STATUS).endsWith(pageTail());
            assertThat(pair.stack().stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
        }
    }

    /** The last octets of the small page's body. */
    private static String pageTail() {
        StringBuilder tail = new StringBuilder();
        for (int i = HttpPage.SMALL - 5; i < HttpPage.SMALL; i++) tail.append((char) ('a' + i % 26));
        return tail.toString();
    }
}
