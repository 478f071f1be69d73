package org.mirage4j.tcpip.tcp.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * Slow start against a peer that acknowledges coalesced segments: every octet acknowledged counts, up to one
 * offload burst per acknowledgment, and never past ssthresh (the rule of {@link CongestionControl}).
 */
class SlowStartTest {

    private static final int MSS = 1460;
    /** The segments of one 64 KiB offload burst: what a peer's device coalesces into one acknowledgment. */
    private static final int BURST_SEGMENTS = 44;
    private static final long MS = 1_000_000L;

    @Test
    void theLimitIsOneOffloadBurstAndAtLeastTwoSegments() {
        assertThat(CongestionControl.slowStartLimit(536)).isEqualTo(65_536);
        assertThat(CongestionControl.slowStartLimit(MSS)).isEqualTo(65_536);
        assertThat(CongestionControl.slowStartLimit(9000)).isEqualTo(65_536);
        assertThat(CongestionControl.slowStartLimit(40_000)).as("RFC 3465's 2 SMSS").isEqualTo(80_000);
    }

    @ParameterizedTest
    @EnumSource(CongestionAlgorithm.class)
    void oneAckCoveringAnOffloadBurstGrowsTheWindowByAllOfIt(CongestionAlgorithm algorithm) {
        CongestionControl cc = algorithm.create(MSS);
        int before = cc.cwnd();
        cc.onAck(BURST_SEGMENTS * MSS, 0, MS);
        assertThat(cc.cwnd()).isEqualTo(before + BURST_SEGMENTS * MSS);
        assertThat(cc.inSlowStart()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CongestionAlgorithm.class)
    void anAckCoveringMoreThanOneBurstGrowsTheWindowByOneBurst(CongestionAlgorithm algorithm) {
        CongestionControl cc = algorithm.create(MSS);
        int before = cc.cwnd();
        cc.onAck(100 * MSS, 0, MS); // stands for lost acknowledgments: RFC 3465's burst hazard
        assertThat(cc.cwnd()).isEqualTo(before + CongestionControl.OFFLOAD_BURST);
    }

    /** The point of the rule: a window's worth of coalesced acknowledgments doubles the window each round trip. */
    @ParameterizedTest
    @EnumSource(CongestionAlgorithm.class)
    void aRoundTripOfCoalescedAcksDoublesTheWindow(CongestionAlgorithm algorithm) {
        CongestionControl cc = algorithm.create(MSS);
        long now = 0;
        for (int round = 0; round < 5; round++, now += MS) {
            int window = cc.cwnd();
            for (int toAck = window; toAck > 0; toAck -= BURST_SEGMENTS * MSS) {
                cc.onAck(Math.min(toAck, BURST_SEGMENTS * MSS), now, MS);
            }
            assertThat(cc.cwnd()).as("round %d", round).isEqualTo(2 * window);
        }
        assertThat(cc.cwnd()).isEqualTo(320 * MSS);
    }

    /**
     * An ACK that reaches ssthresh part way stops slow start there, and its remaining octets count in congestion
     * avoidance, as Linux's tcp_slow_start returns them: one window of octets earns one segment.
     */
    @Test
    void newRenoCrossesSsthreshInTheMiddleOfAnAck() {
        CongestionControl reno = CongestionAlgorithm.NEW_RENO.create(MSS);
        reno.onRetransmitTimeout(40 * MSS, 0);
        assertThat(reno.ssthresh()).isEqualTo(20 * MSS);
        reno.onAck(30 * MSS, 0, MS); // 19 segments of slow start, 11 of congestion avoidance
        assertThat(reno.cwnd()).as("stops at ssthresh").isEqualTo(20 * MSS);
        assertThat(reno.inSlowStart()).isFalse();
        reno.onAck(9 * MSS, 0, MS);
        assertThat(reno.cwnd()).as("11 + 9 segments: one window in avoidance").isEqualTo(21 * MSS);

        CongestionControl exact = CongestionAlgorithm.NEW_RENO.create(MSS);
        exact.onRetransmitTimeout(40 * MSS, 0);
        exact.onAck(19 * MSS, 0, MS);
        exact.onAck(9 * MSS, 0, MS);
        assertThat(exact.cwnd()).as("without the 11 left over").isEqualTo(20 * MSS);
    }

    @Test
    void cubicCrossesSsthreshInTheMiddleOfAnAck() {
        CongestionControl cubic = grownTo(CongestionAlgorithm.CUBIC, 100);
        cubic.onRetransmitTimeout(100 * MSS, 0);
        assertThat(cubic.ssthresh()).isEqualTo(70 * MSS);
        cubic.onAck(44 * MSS, 0, MS);
        assertThat(cubic.cwnd()).isEqualTo(45 * MSS);
        cubic.onAck(44 * MSS, MS, MS); // 25 segments of slow start, 19 of congestion avoidance
        assertThat(cubic.inSlowStart()).isFalse();

        CongestionControl exact = grownTo(CongestionAlgorithm.CUBIC, 100);
        exact.onRetransmitTimeout(100 * MSS, 0);
        exact.onAck(44 * MSS, 0, MS);
        exact.onAck(25 * MSS, MS, MS);
        assertThat(exact.cwnd()).as("stops at ssthresh").isEqualTo(70 * MSS);
        assertThat(cubic.cwnd()).as("the 19 left over grow the Reno-friendly estimate")
                .isGreaterThan(exact.cwnd()).isLessThan(71 * MSS);
    }

    /**
     * After a timeout the window falls to one segment, and the retransmission's ACK, which may cover a whole burst
     * the peer held out of order, starts a slow start that doubles per burst up to the new ssthresh.
     */
    @ParameterizedTest
    @EnumSource(CongestionAlgorithm.class)
    void afterATimeoutSlowStartClimbsBackToSsthreshInBursts(CongestionAlgorithm algorithm) {
        CongestionControl cc = grownTo(algorithm, 200);
        cc.onRetransmitTimeout(200 * MSS, 0);
        int ssthresh = cc.ssthresh();
        assertThat(ssthresh).isEqualTo(algorithm == CongestionAlgorithm.CUBIC ? 140 * MSS : 100 * MSS);
        assertThat(cc.cwnd()).isEqualTo(MSS);
        cc.onAck(BURST_SEGMENTS * MSS, MS, MS);
        assertThat(cc.cwnd()).isEqualTo(45 * MSS);
        cc.onAck(BURST_SEGMENTS * MSS, 2 * MS, MS);
        assertThat(cc.cwnd()).isEqualTo(89 * MSS);
        for (long now = 3 * MS; cc.inSlowStart(); now += MS) {
            cc.onAck(BURST_SEGMENTS * MSS, now, MS);
            assertThat(cc.ssthresh()).isEqualTo(ssthresh);
        }
        assertThat(cc.cwnd()).as("at ssthresh, plus at most a segment of congestion avoidance")
                .isBetween(ssthresh, ssthresh + MSS);
    }

    /**
     * Whatever came before (losses, timeouts, idle restarts, ACKs of any size), an ACK in slow start grows the
     * window by exactly the octets it covers up to one offload burst, unless it reaches ssthresh; then the window
     * ends at ssthresh, or above it by no more than congestion avoidance gives for the rest of the ACK.
     */
    @Property(tries = 300)
    void slowStartNeverPassesSsthreshAndCountsEveryOctetUpToTheLimit(Gen gen) {
        CongestionAlgorithm algorithm = gen.oneOf(CongestionAlgorithm.values());
        int mss = gen.oneOf(536, 1448, 1460, 8960);
        CongestionControl cc = algorithm.create(mss);
        int limit = CongestionControl.slowStartLimit(mss);
        long now = 0;
        boolean inRecovery = false; // as the sender drives it: no onAck between onLoss and onRecoveryEnd
        for (int step = 0; step < 200; step++) {
            now += gen.intBetween(1, 50) * MS;
            long srtt = gen.intBetween(0, 100) * MS;
            int flight = Math.max(cc.cwnd() - gen.intBetween(0, cc.cwnd() / 2), 0);
            int choice = gen.intBetween(0, 19);
            if (inRecovery && choice != 1) choice = 2;
            switch (choice) {
                case 0 -> {
                    cc.onLoss(flight, now);
                    inRecovery = true;
                }
                case 1 -> {
                    cc.onRetransmitTimeout(flight, now);
                    inRecovery = false;
                }
                case 2 -> {
                    if (inRecovery) cc.onRecoveryEnd(flight, now);
                    inRecovery = false;
                }
                case 3 -> cc.onIdleRestart(now);
                default -> {
                    int acked = gen.intBetween(1, 100 * mss);
                    boolean slowStart = cc.inSlowStart();
                    int before = cc.cwnd();
                    int ssthresh = cc.ssthresh();
                    cc.onAck(acked, now, srtt);
                    if (!slowStart) break;
                    long expected = (long) before + Math.min(acked, limit);
                    if (expected < ssthresh) {
                        assertThat(cc.cwnd()).as("%s step %d", cc, step).isCloseTo((int) expected, within(1));
                    } else {
                        // Congestion avoidance gives at most half a segment per segment acknowledged (CUBIC's
                        // 1.5 cwnd target), or one segment per window of at least 2 segments (Reno).
                        long rest = acked - ((long) ssthresh - before);
                        assertThat(cc.cwnd()).as("%s step %d", cc, step)
                                .isBetween(ssthresh, (int) Math.min(ssthresh + rest / 2 + mss, Integer.MAX_VALUE));
                    }
                }
            }
            assertThat(cc.cwnd()).as("%s step %d", cc, step).isGreaterThanOrEqualTo(mss);
            assertThat(cc.ssthresh()).as("%s step %d", cc, step).isGreaterThanOrEqualTo(2 * mss);
        }
    }

    /** A connection whose window was grown to {@code segments} in slow start, before any loss. */
    private static CongestionControl grownTo(CongestionAlgorithm algorithm, int segments) {
        CongestionControl cc = algorithm.create(MSS);
        while (cc.cwnd() < segments * MSS) {
            cc.onAck(Math.min(segments * MSS - cc.cwnd(), BURST_SEGMENTS * MSS), 0, MS);
        }
        assertThat(cc.cwnd()).isEqualTo(segments * MSS);
        return cc;
    }
}
