package org.mirage4j.tcpip.tcp.cc;

/**
 * A congestion control algorithm: the congestion window and slow-start threshold of one connection, in octets, and
 * how they react to acknowledgments and losses (RFC 5681's framework). Loss recovery itself (which segments to
 * retransmit, RFC 6582's window inflation, RFC 6675's pipe) is the sender's; this only sets the window sizes.
 *
 * <p>Not thread-safe: it belongs to its connection. Time comes in as monotonic nanoseconds; no method reads a
 * clock.
 */
public interface CongestionControl {

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
     * using its window (not limited by the application or the receiver's window; RFC 7661).
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

    /** The initial window of RFC 6928 for {@code mss}: min(10 MSS, max(2 MSS, 14600)). */
    static int initialWindow(int mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14_600));
    }
}
