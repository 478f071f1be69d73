package org.mirage4j.tcpip.tcp.cc;

/** The congestion control algorithms to choose from. */
public enum CongestionAlgorithm {
    /** RFC 5681's slow start and congestion avoidance, the window halved on loss. */
    NEW_RENO,
    /** CUBIC (RFC 9438): the window follows a cubic function of the time since the last loss; the default. */
    CUBIC;

    /** A fresh instance for a connection sending segments of at most {@code mss} octets. */
    public CongestionControl create(int mss) {
        return switch (this) {
            case NEW_RENO -> new NewReno(mss);
            case CUBIC -> new Cubic(mss);
        };
    }
}
