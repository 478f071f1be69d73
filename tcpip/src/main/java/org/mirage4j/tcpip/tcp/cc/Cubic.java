package org.mirage4j.tcpip.tcp.cc;

/**
 * CUBIC (RFC 9438). After a loss the window follows {@code W(t) = C (t - K)^3 + W_max}: fast towards the window
 * where the loss happened, flat around it, then probing beyond (section 4.2). Where that grows slower than Reno
 * would, the Reno-friendly estimate {@code W_est} wins (section 4.3). Slow start is the one
 * {@link CongestionControl} describes (section 4.10 allows Reno's); fast convergence is on (section 4.7).
 *
 * <p>The arithmetic is in segments, as in the RFC, held as doubles; the window is reported in octets.
 */
final class Cubic implements CongestionControl {

    /** Section 5.1: the cubic's scaling constant, segments per second cubed. */
    static final double C = 0.4;
    /** Section 5.1: the multiplicative decrease factor. */
    static final double BETA = 0.7;
    /** Section 4.3: the Reno-friendly additive increase matching Reno's average rate with {@link #BETA}. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private final int mss;
    private final double slowStartLimit; // segments
    private double cwnd; // segments
    private int ssthresh = Integer.MAX_VALUE; // octets
    private double wMax; // segments: the window before the last reduction
    private double k; // seconds: when W(t) reaches wMax again
    private long epochStart = -1; // nanoseconds; -1 before the current congestion avoidance stage began
    private double wEst; // segments: the Reno-friendly estimate
    private double cwndPrior; // segments: the window just before the last reduction

    Cubic(int mss) {
        this.mss = mss;
        this.slowStartLimit = (double) CongestionControl.slowStartLimit(mss) / mss;
        this.cwnd = (double) CongestionControl.initialWindow(mss) / mss;
    }

    @Override
    public int cwnd() {
        // The hundred-thousandth of an octet undoes rounding: ssthresh / mss * mss may come out a hair below ssthresh.
        double octets = cwnd * mss + 1e-5;
        return octets >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) octets;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    /** Compared in segments, so that a window set to ssthresh is not taken as below it by rounding. */
    @Override
    public boolean inSlowStart() {
        return cwnd < ssthresh / (double) mss - 1e-9;
    }

    @Override
    public void onAck(int acked, long now, long srttNanos) {
        double segmentsAcked = (double) acked / mss;
        if (inSlowStart()) {
            // Slow start (RFC 5681 section 3.1) counting octets up to one offload burst per ACK (RFC 3465 section
            // 2.3; see CongestionControl#slowStartLimit), never past ssthresh.
            double grown = Math.min(cwnd + Math.min(segmentsAcked, slowStartLimit), ssthresh / (double) mss);
            segmentsAcked = Math.max(segmentsAcked - (grown - cwnd), 0);
            cwnd = grown;
            if (inSlowStart()) return;
            // The segments beyond ssthresh count in congestion avoidance, as Linux's tcp_slow_start returns them.
        }
        if (epochStart < 0) {
            // Section 4.2: a new congestion avoidance stage.
            epochStart = now;
            if (cwnd < wMax) {
                k = Math.cbrt((wMax - cwnd) / C);
            } else {
                k = 0;
                wMax = cwnd;
            }
            wEst = cwnd;
        }
        double t = (now - epochStart) / 1e9;
        double rtt = srttNanos / 1e9;
        // Section 4.2: aim at where the cubic will be one RTT from now, within [cwnd, 1.5 cwnd].
        double target = Math.clamp(window(t + rtt), cwnd, 1.5 * cwnd);
        // Section 4.3: once the estimate passes the window before the reduction, it grows as fast as Reno.
        double alpha = wEst >= cwndPrior ? 1 : ALPHA;
        wEst += alpha * segmentsAcked / cwnd;
        if (window(t) < wEst) {
            cwnd = Math.max(cwnd, wEst); // the Reno-friendly region
        } else {
            cwnd += (target - cwnd) / cwnd * segmentsAcked; // concave or convex region
        }
    }

    /** W_cubic(t), in segments, for {@code t} seconds into the stage (section 4.2, equation 1). */
    private double window(double t) {
        double d = t - k;
        return C * d * d * d + wMax;
    }

    @Override
    public void onLoss(int flightSize, long now) {
        reduce();
        cwnd = ssthresh / (double) mss;
    }

    @Override
    public void onRecoveryEnd(int flightSize, long now) {
        cwnd = Math.min(cwnd, ssthresh / (double) mss);
    }

    @Override
    public void onRetransmitTimeout(int flightSize, long now) {
        reduce();
        cwnd = 1; // section 4.8: the loss window, then slow start up to the new ssthresh
    }

    private void reduce() {
        epochStart = -1;
        cwndPrior = cwnd;
        // Section 4.7 fast convergence: a window that shrank since the last loss gives way to other flows.
        wMax = cwnd < wMax ? cwnd * (1 + BETA) / 2 : cwnd;
        ssthresh = (int) Math.max(cwnd * BETA * mss, 2.0 * mss); // section 4.6
    }

    @Override
    public void onIdleRestart(long now) {
        cwnd = Math.min(cwnd, (double) CongestionControl.initialWindow(mss) / mss);
        epochStart = -1; // section 5.8: do not let the idle time count as growth time
    }

    @Override
    public String toString() {
        return "Cubic[cwnd=" + cwnd() + ", ssthresh=" + ssthresh + ", wMax=" + (int) (wMax * mss) + "]";
    }
}
