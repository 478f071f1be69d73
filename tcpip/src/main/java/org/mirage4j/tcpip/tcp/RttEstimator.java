package org.mirage4j.tcpip.tcp;

/**
 * The round-trip time estimate and retransmission timeout of one connection (RFC 6298), in nanoseconds.
 *
 * <p>Samples come from the sender: from the timestamps option when it is on (RFC 7323 section 4), otherwise from one
 * timed segment at a time, never a retransmitted one (Karn's rule, RFC 6298 section 3). Each expiry of the
 * retransmission timer doubles the timeout ({@link #backOff}, section 5.5) until a new sample arrives.
 * Not thread-safe.
 */
final class RttEstimator {

    /** Clock granularity G of RFC 6298 section 2: our timestamps tick in milliseconds. */
    static final long GRANULARITY = 1_000_000L;
    private static final int MAX_BACKOFF = 16;

    private final long minRto;
    private final long maxRto;
    private long srtt;
    private long rttvar;
    private long rto;
    private boolean measured;
    private int backoff;

    RttEstimator(long initialRto, long minRto, long maxRto) {
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.rto = Math.min(Math.max(initialRto, minRto), maxRto);
    }

    /** Takes one RTT measurement (section 2.2 for the first, 2.3 after) and clears the backoff. */
    void sample(long rtt) {
        rtt = Math.max(rtt, 0);
        if (!measured) {
            srtt = rtt;
            rttvar = rtt / 2;
            measured = true;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = Math.min(Math.max(srtt + Math.max(GRANULARITY, 4 * rttvar), minRto), maxRto);
        backoff = 0;
    }

    /** The timeout to arm now: the computed one, doubled per expiry since the last sample, at most the maximum. */
    long rto() {
        long backedOff = rto << Math.min(backoff, MAX_BACKOFF);
        return backedOff < 0 || backedOff > maxRto ? maxRto : backedOff;
    }

    /** The timer expired: double the timeout (section 5.5). */
    void backOff() {
        if (backoff < MAX_BACKOFF) backoff++;
    }

    /** How often the timeout doubled since the last sample. */
    int backoffs() {
        return backoff;
    }

    /** Whether any sample was taken. */
    boolean measured() {
        return measured;
    }

    /** The smoothed RTT, 0 before the first sample. */
    long srtt() {
        return srtt;
    }

    /** The RTT variation, 0 before the first sample. */
    long rttvar() {
        return rttvar;
    }
}
