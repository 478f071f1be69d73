package org.mirage4j.tcpip.tcp;

/** The states of a TCP connection (RFC 9293 section 3.3.2); {@code LISTEN} belongs to a {@link Listener}. */
public enum TcpState {
    /** No connection: never opened, or gone. */
    CLOSED,
    /** Waiting for a connection request (a {@link Listener}). */
    LISTEN,
    /** Sent a SYN, waiting for the peer's SYN. */
    SYN_SENT,
    /** Received a SYN and sent one, waiting for its acknowledgment. */
    SYN_RECEIVED,
    /** Open: data flows both ways. */
    ESTABLISHED,
    /** We sent a FIN, not yet acknowledged; the peer has not closed. */
    FIN_WAIT_1,
    /** Our FIN was acknowledged; waiting for the peer's FIN. */
    FIN_WAIT_2,
    /** The peer closed its side; we may still send. */
    CLOSE_WAIT,
    /** Both sides sent a FIN at the same time; waiting for the acknowledgment of ours. */
    CLOSING,
    /** The peer closed first and so did we; waiting for the acknowledgment of our FIN. */
    LAST_ACK,
    /** Both sides closed; waiting 2 MSL so that stray segments of this connection die out. */
    TIME_WAIT;

    /** Whether both SYNs were exchanged (RFC 9293's "synchronized states"): ESTABLISHED to TIME-WAIT. */
    public boolean isSynchronized() {
        return compareTo(ESTABLISHED) >= 0;
    }

    /** Whether data received in this state is still delivered: ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2. */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** Whether the application may still queue data to send: ESTABLISHED and CLOSE-WAIT (and the handshake). */
    boolean sendsData() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
