package org.mirage4j.tcpip.tcp.cc;

/**
 * Reno's window arithmetic (RFC 5681), with byte counting (RFC 3465) in slow start and congestion avoidance;
 * slow start as {@link CongestionControl} describes it. The "New" of NewReno (RFC 6582), partial acknowledgments
 * during fast recovery, is the sender's.
 */
final class NewReno implements CongestionControl {

    private final int mss;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private final int slowStartLimit;
    private long ackedInAvoidance; // octets acknowledged in congestion avoidance since cwnd last grew

    NewReno(int mss) {
        this.mss = mss;
        this.slowStartLimit = CongestionControl.slowStartLimit(mss);
        this.cwnd = CongestionControl.initialWindow(mss);
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(int acked, long now, long srttNanos) {
        if (cwnd < ssthresh) {
            // Slow start (RFC 5681 section 3.1) counting octets up to one offload burst per ACK (RFC 3465 section
            // 2.3; see CongestionControl#slowStartLimit), never past ssthresh.
            int grown = Math.min(saturatingAdd(cwnd, Math.min(acked, slowStartLimit)), ssthresh);
            acked -= grown - cwnd;
            cwnd = grown;
            if (cwnd < ssthresh) return;
            // The octets beyond ssthresh count in congestion avoidance, as Linux's tcp_slow_start returns them.
        }
        // RFC 5681 section 3.1 congestion avoidance: one segment per window of acknowledged octets. An ACK covering
        // several windows (after an ACK that crossed ssthresh, or a coalescing peer's) earns one segment for each.
        ackedInAvoidance += acked;
        if (ackedInAvoidance >= cwnd) {
            long windows = ackedInAvoidance / cwnd;
            ackedInAvoidance -= windows * cwnd;
            cwnd = saturatingAdd(cwnd, (int) Math.min(windows * mss, Integer.MAX_VALUE));
        }
    }

    @Override
    public void onLoss(int flightSize, long now) {
        ssthresh = Math.max(flightSize / 2, 2 * mss); // RFC 5681 equation (4)
        cwnd = ssthresh;
        ackedInAvoidance = 0;
    }

    @Override
    public void onRecoveryEnd(int flightSize, long now) {
        // RFC 6582 section 3.2 step 3, option (1): no burst when little is in flight.
        cwnd = Math.min(ssthresh, Math.max(flightSize, mss) + mss);
    }

    @Override
    public void onRetransmitTimeout(int flightSize, long now) {
        ssthresh = Math.max(flightSize / 2, 2 * mss);
        cwnd = mss;
        ackedInAvoidance = 0;
    }

    @Override
    public void onIdleRestart(long now) {
        cwnd = Math.min(cwnd, CongestionControl.initialWindow(mss)); // RFC 5681 section 4.1
        ackedInAvoidance = 0; // credits earned at the old window would grow the new one by several segments at once
    }

    static int saturatingAdd(int a, int b) {
        int sum = a + b;
        return sum < 0 ? Integer.MAX_VALUE : sum;
    }

    @Override
    public String toString() {
        return "NewReno[cwnd=" + cwnd + ", ssthresh=" + ssthresh + "]";
    }
}
