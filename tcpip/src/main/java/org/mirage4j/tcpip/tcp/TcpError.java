package org.mirage4j.tcpip.tcp;

/** Why a connection ended other than by both sides closing it. */
public enum TcpError {
    /** The peer answered our SYN with a reset: nothing listens on its port. */
    REFUSED("the peer refused the connection: nothing listens on that port"),
    /** The peer reset the connection. */
    RESET("the peer reset the connection"),
    /** The peer stopped answering: retransmissions, the SYN, or keepalive probes ran out. */
    TIMED_OUT("the peer did not answer in time"),
    /** We aborted the connection: the application did, or the stack made room (a full TIME-WAIT table, a listener closed). */
    ABORTED("the connection was aborted on this side");

    private final String sentence;

    TcpError(String sentence) {
        this.sentence = sentence;
    }

    /** What happened, as part of a sentence: "the peer reset the connection". */
    public String describe() {
        return sentence;
    }
}
