package org.mirage4j.tcpip.tcp.cc;

/**
 * Reno's window arithmetic (RFC 5681), with byte counting (RFC 3465, L = 2) in slow start and congestion
 * avoidance. The "New" of NewReno (RFC 6582), partial acknowledgments during fast recovery, is the sender's.
 */
final class NewReno implements CongestionControl {

    private final int mss;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private int ackedInAvoidance;

    NewReno(int mss) {
        this.mss = mss;
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
            // RFC 3465 section 2.2: grow by the octets acknowledged, at most 2 segments per ACK.
            cwnd = saturatingAdd(cwnd, Math.min(acked, 2 * mss));
            return;
        }
        // RFC 5681 section 3.1 congestion avoidance: one segment per window of acknowledged octets.
        ackedInAvoidance += acked;
        if (ackedInAvoidance >= cwnd) {
            ackedInAvoidance -= cwnd;
            cwnd = saturatingAdd(cwnd, mss);
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
