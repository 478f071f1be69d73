package org.mirage4j.tcpip.tcp.cc;

/**
 * A congestion control algorithm: the congestion window and slow-start threshold of one connection, in octets, and
 * how they react to acknowledgments and losses (RFC 5681's framework). Loss recovery itself (which segments to
 * retransmit, RFC 6582's window inflation, RFC 6675's pipe) is the sender's; this only sets the window sizes.
 *
 * <p>Slow start, the same in both algorithms: each acknowledgment grows cwnd by the octets it newly acknowledges
 * (RFC 5681 section 3.1 with RFC 3465's byte counting), at most {@link #slowStartLimit(int)} per acknowledgment,
 * and never past ssthresh. An acknowledgment that reaches ssthresh part way counts its remaining octets in
 * congestion avoidance, as Linux's {@code tcp_slow_start} hands them back. So a window's worth of acknowledgments
 * doubles the window whether the peer acknowledges every other segment or, coalescing received segments (GRO),
 * 44 of them at once.
 *
 * <p>Not thread-safe: it belongs to its connection. Time comes in as monotonic nanoseconds; no method reads a
 * clock.
 */
public interface CongestionControl {

    /**
     * The largest segment the stack hands a device to cut (TSO) and the largest a receiving device coalesces
     * (GRO) by default in Linux: 64 KiB, one offload burst.
     */
    int OFFLOAD_BURST = 65_536;

    /** The congestion window (cwnd), in octets. */
    int cwnd();

    /** The slow-start threshold (ssthresh), in octets; very large until the first loss (RFC 5681 section 3.1). */
    int ssthresh();

    /** Whether the window grows exponentially now: cwnd below ssthresh. */
    default boolean inSlowStart() {
        return cwnd() < ssthresh();
    }

    /**
     * {@code acked} octets of new data were cumulatively acknowledged, outside loss recovery, while the sender was
     * using its window (not limited by the application or the receiver's window; RFC 7661). In slow start this
     * grows cwnd by {@code min(acked, slowStartLimit(mss))}, up to ssthresh (see the class comment).
     *
     * @param srttNanos the smoothed round-trip time, or 0 if none was measured yet
     */
    void onAck(int acked, long now, long srttNanos);

    /**
     * Loss was detected by duplicate acknowledgments or SACK, and fast recovery begins: lower ssthresh and cwnd.
     *
     * @param flightSize the octets in flight when the loss was detected
     */
    void onLoss(int flightSize, long now);

    /**
     * Fast recovery ended with the acknowledgment of everything that was in flight when it began.
     *
     * @param flightSize the octets in flight after that acknowledgment
     */
    void onRecoveryEnd(int flightSize, long now);

    /**
     * The retransmission timer expired: lower ssthresh and fall back to the loss window of one segment
     * (RFC 5681 section 3.1).
     *
     * @param flightSize the octets in flight when the timer expired
     */
    void onRetransmitTimeout(int flightSize, long now);

    /** The connection sent nothing for longer than a retransmission timeout: restart from the initial window. */
    void onIdleRestart(long now);

    /**
     * The most one acknowledgment may grow cwnd in slow start, in octets: RFC 3465's limit L (section 2.3), here
     * one {@linkplain #OFFLOAD_BURST offload burst}, and never less than RFC 3465's 2 SMSS.
     *
     * <p>Why not RFC 3465's L = 2 SMSS: a peer whose device coalesces what it receives acknowledges a whole 64 KiB
     * burst (44 SMSS) at once, and 2 SMSS per such acknowledgment grows the window by 1/22 per round trip instead
     * of doubling it. Why not unlimited, as Linux does and RFC 9406 section 4.3 recommends for paced senders: we do
     * not pace, and an acknowledgment covering more than one burst stands for lost or delayed acknowledgments,
     * RFC 3465's reason for a limit (it would release a line-rate burst of twice what it covers). With this limit
     * the burst after an acknowledgment is what it covers plus at most one offload burst.
     */
    static int slowStartLimit(int mss) {
        return Math.max(2 * mss, OFFLOAD_BURST);
    }

    /** The initial window of RFC 6928 for {@code mss}: min(10 MSS, max(2 MSS, 14600)). */
    static int initialWindow(int mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14_600));
    }
}
