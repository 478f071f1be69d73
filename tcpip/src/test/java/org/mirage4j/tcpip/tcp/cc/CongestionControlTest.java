package org.mirage4j.tcpip.tcp.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CongestionControlTest {

    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;

    @Test
    void initialWindowIsRfc6928s() {
        assertThat(CongestionControl.initialWindow(1460)).isEqualTo(14_600);
        assertThat(CongestionControl.initialWindow(536)).isEqualTo(5360);
        assertThat(CongestionControl.initialWindow(9000)).isEqualTo(18_000);
    }

    @Test
    void newRenoSlowStartThenAvoidance() {
        CongestionControl reno = CongestionAlgorithm.NEW_RENO.create(MSS);
        assertThat(reno.cwnd()).isEqualTo(10 * MSS);
        reno.onAck(5 * MSS, 0, 0);
        assertThat(reno.cwnd()).as("slow start counts every octet acknowledged").isEqualTo(15 * MSS);
        reno.onLoss(20 * MSS, 0);
        assertThat(reno.ssthresh()).isEqualTo(10 * MSS);
        assertThat(reno.cwnd()).isEqualTo(10 * MSS);
        assertThat(reno.inSlowStart()).isFalse();
        for (int i = 0; i < 9; i++) reno.onAck(MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(10 * MSS);
        reno.onAck(MSS, 0, 0);
        assertThat(reno.cwnd()).as("one segment per window acknowledged").isEqualTo(11 * MSS);
        reno.onRetransmitTimeout(8 * MSS, 0);
        assertThat(reno.cwnd()).isEqualTo(MSS);
        assertThat(reno.ssthresh()).isEqualTo(4 * MSS);
        reno.onLoss(MSS, 0);
        assertThat(reno.ssthresh()).as("never below 2 segments").isEqualTo(2 * MSS);
    }

    /** RFC 5681 section 3.1's one segment per window, for every window a stretch ACK covers. */
    @Test
    void newRenoCountsEveryWindowAStretchAckCovers() {
        CongestionControl reno = CongestionAlgorithm.NEW_RENO.create(MSS);
        reno.onLoss(20 * MSS, 0);
        assertThat(reno.inSlowStart()).isFalse();
        reno.onAck(35 * MSS, 0, 0);
        assertThat(reno.cwnd()).as("three windows of 10 segments").isEqualTo(13 * MSS);
        reno.onAck(8 * MSS, 0, 0);
        assertThat(reno.cwnd()).as("the 5 left over and 8 more: one window of 13").isEqualTo(14 * MSS);
    }

    /** Credits earned at a window that an idle restart cut do not carry over to the smaller window. */
    @Test
    void newRenoForgetsAvoidanceCreditsOnIdleRestart() {
        CongestionControl reno = CongestionAlgorithm.NEW_RENO.create(MSS);
        reno.onLoss(40 * MSS, 0);
        reno.onAck(19 * MSS, 0, 0); // 19 of the 20 needed at cwnd = 20 segments
        reno.onIdleRestart(0);
        assertThat(reno.cwnd()).isEqualTo(10 * MSS);
        reno.onAck(10 * MSS, 0, 0);
        assertThat(reno.cwnd()).as("slow start back to ssthresh").isEqualTo(20 * MSS);
        reno.onAck(19 * MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(20 * MSS);
        reno.onAck(MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(21 * MSS);
    }

    /**
     * RFC 9438 section 4.2: after a loss the window drops to 0.7, climbs back to W_max in K seconds, then probes
     * beyond. On a long path, where Reno would be slower.
     */
    @Test
    void cubicReturnsToTheLossWindowAfterK() {
        CongestionControl cubic = CongestionAlgorithm.CUBIC.create(MSS);
        long rtt = 100 * MS;
        long now = 0;
        while (cubic.cwnd() < 1000 * MSS) cubic.onAck(2 * MSS, now, rtt);
        int wMax = cubic.cwnd();
        cubic.onLoss(wMax, now);
        assertThat(cubic.cwnd()).isEqualTo((int) (wMax * 0.7));
        double k = Math.cbrt((wMax - cubic.cwnd()) / (double) MSS / 0.4);
        int atHalfK = ackForAWhile(cubic, now, (long) (k / 2 * 1e9), rtt);
        int atK = ackForAWhile(cubic, (long) (k / 2 * 1e9), (long) (k * 1e9), rtt);
        int at2K = ackForAWhile(cubic, (long) (k * 1e9), (long) (2 * k * 1e9), rtt);
        assertThat(atHalfK).as("concave: most of the way back in half the time").isGreaterThan((int) (wMax * 0.9));
        assertThat(atK).as("near W_max after K").isBetween((int) (wMax * 0.97), (int) (wMax * 1.03));
        assertThat(at2K).as("convex beyond W_max: probing").isGreaterThan((int) (wMax * 1.2));
    }

    /** RFC 9438 section 4.3: on a short path the Reno-friendly estimate wins, so CUBIC is no slower than Reno. */
    @Test
    void cubicIsRenoFriendlyOnShortPaths() {
        CongestionControl cubic = CongestionAlgorithm.CUBIC.create(MSS);
        long rtt = MS;
        while (cubic.cwnd() < 100 * MSS) cubic.onAck(2 * MSS, 0, rtt);
        cubic.onLoss(cubic.cwnd(), 0);
        int after = ackForAWhile(cubic, 0, 1_000_000_000L, rtt);
        // The cubic alone would be below W_max still (K is about 4 s); Reno gains about a segment per RTT.
        assertThat(after).isGreaterThan(500 * MSS);
    }

    /** A window of ACKs per round trip from {@code from} to {@code to}; returns the window then. */
    private static int ackForAWhile(CongestionControl cc, long from, long to, long rtt) {
        for (long now = from; now < to; now += rtt) {
            int segments = cc.cwnd() / MSS;
            for (int i = 0; i < segments; i++) cc.onAck(MSS, now, rtt);
        }
        return cc.cwnd();
    }

    @Test
    void cubicFastConvergenceLowersWMax() {
        CongestionControl cubic = CongestionAlgorithm.CUBIC.create(MSS);
        while (cubic.cwnd() < 100 * MSS) cubic.onAck(2 * MSS, 0, 0);
        cubic.onLoss(cubic.cwnd(), 0);
        int afterFirst = cubic.cwnd();
        cubic.onLoss(afterFirst, 0); // a second loss below W_max
        assertThat(cubic.cwnd()).isEqualTo((int) (afterFirst * 0.7));
        assertThat(cubic.toString()).contains("wMax=" + (int) (afterFirst * (1 + 0.7) / 2));
    }

    @Test
    void cubicTimeoutFallsToOneSegment() {
        CongestionControl cubic = CongestionAlgorithm.CUBIC.create(MSS);
        cubic.onRetransmitTimeout(20 * MSS, 0);
        assertThat(cubic.cwnd()).isEqualTo(MSS);
        assertThat(cubic.ssthresh()).isEqualTo(7 * MSS);
        assertThat(cubic.inSlowStart()).isTrue();
    }
}
