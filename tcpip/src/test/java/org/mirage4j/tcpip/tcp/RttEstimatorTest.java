package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6298's arithmetic. */
class RttEstimatorTest {

    private static final long MS = 1_000_000L;

    @Test
    void followsRfc6298() {
        RttEstimator rtt = new RttEstimator(1000 * MS, 200 * MS, 60_000 * MS);
        assertThat(rtt.rto()).as("section 2.1: 1 s before any sample").isEqualTo(1000 * MS);
        rtt.sample(100 * MS);
        assertThat(rtt.srtt()).isEqualTo(100 * MS);
        assertThat(rtt.rttvar()).isEqualTo(50 * MS);
        assertThat(rtt.rto()).isEqualTo(300 * MS); // 100 + 4 * 50
        rtt.sample(200 * MS);
        assertThat(rtt.rttvar()).isEqualTo(62_500_000L); // 3/4 * 50 + 1/4 * |100 - 200|
        assertThat(rtt.srtt()).isEqualTo(112_500_000L); // 7/8 * 100 + 1/8 * 200
        assertThat(rtt.rto()).isEqualTo(362_500_000L);
    }

    @Test
    void clampsBacksOffAndResets() {
        RttEstimator rtt = new RttEstimator(1000 * MS, 200 * MS, 60_000 * MS);
        rtt.sample(MS);
        assertThat(rtt.rto()).as("never below the minimum").isEqualTo(200 * MS);
        rtt.backOff();
        rtt.backOff();
        assertThat(rtt.rto()).isEqualTo(800 * MS);
        for (int i = 0; i < 30; i++) rtt.backOff();
        assertThat(rtt.rto()).as("section 2.5: capped").isEqualTo(60_000 * MS);
        rtt.sample(MS);
        assertThat(rtt.backoffs()).isZero();
        assertThat(rtt.rto()).isEqualTo(200 * MS);
    }
}
