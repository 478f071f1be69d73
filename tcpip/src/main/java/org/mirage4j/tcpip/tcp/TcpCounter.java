package org.mirage4j.tcpip.tcp;

/** What a {@link TcpEngine} counts, over all its connections; read with {@link TcpEngine#stats()}. */
public enum TcpCounter {
    /** Segments handed to {@link TcpEngine#input}. */
    SEGMENTS_RECEIVED,
    /** Segments sent through the {@link SegmentSink}. */
    SEGMENTS_SENT,
    /** Segments whose header did not parse (truncated, bad data offset, bad option length). */
    MALFORMED,
    /** Segments whose checksum did not verify. */
    BAD_CHECKSUM,
    /** Connections we opened ({@code connect}). */
    ACTIVE_OPENS,
    /** Connections a listener opened on a peer's SYN, SYN cookies included. */
    PASSIVE_OPENS,
    /** Connections that reached ESTABLISHED. */
    ESTABLISHED,
    /** Connections that ended with an error: refused, reset, timed out or aborted. */
    FAILED,
    /** Resets received that ended or refused a connection. */
    RESETS_RECEIVED,
    /** Resets sent. */
    RESETS_SENT,
    /** Segments for no connection and no listener, answered with a reset (RFC 9293 section 3.10.7.1). */
    NO_CONNECTION,
    /** Segments retransmitted, by timeout, fast retransmit or SACK recovery. */
    RETRANSMITS,
    /** Retransmission timeouts. */
    TIMEOUTS,
    /** Challenge ACKs sent (RFC 5961). */
    CHALLENGE_ACKS,
    /** Challenge ACKs not sent to stay within the rate limit (RFC 5961 section 7). */
    CHALLENGE_ACKS_SUPPRESSED,
    /** Segments outside the receive window, answered with an ACK. */
    OUT_OF_WINDOW,
    /** Segments dropped by PAWS, their timestamp older than the connection's (RFC 7323 section 5). */
    PAWS_REJECTED,
    /** Out-of-order data dropped because the connection holds as many runs as it may. */
    OUT_OF_ORDER_DROPPED,
    /** SYNs that found their listener's backlog full. */
    LISTEN_OVERFLOWS,
    /** SYN-ACKs sent with a SYN cookie. */
    SYN_COOKIES_SENT,
    /** Handshakes completed with a valid SYN cookie. */
    SYN_COOKIES_ACCEPTED,
    /** ACKs to a listener that carried no valid SYN cookie, answered with a reset. */
    SYN_COOKIES_REJECTED,
    /**
     * Half-open connections given up for the SYN cookie the peer answered instead: its SYN, resent while the
     * cookie was on its way, had opened them.
     */
    SYN_COOKIES_PREFERRED,
    /** Connections ended early in TIME-WAIT to keep the table within its bound. */
    TIME_WAIT_EVICTED,
    /** Connections in TIME-WAIT replaced by a new one on a fresh SYN (RFC 6191). */
    TIME_WAIT_REUSED
}
