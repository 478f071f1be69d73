package org.mirage4j.tcpip.tcp.cc;

/** The congestion control algorithms to choose from. */
public enum CongestionAlgorithm {
    /** RFC 5681's slow start and congestion avoidance, the window halved on loss. */
    NEW_RENO,
    /** CUBIC (RFC 9438): the window follows a cubic function of the time since the last loss; the default. */
    CUBIC;

    /**
     * The algorithm named {@code name}, as the {@code --tcp-congestion} key writes it: {@code cubic} or
     * {@code newreno}, in any case.
     *
     * @throws IllegalArgumentException with one sentence naming the choices, for any other name
     */
    public static CongestionAlgorithm parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "cubic" -> CUBIC;
            case "newreno", "new_reno", "reno" -> NEW_RENO;
            default -> throw new IllegalArgumentException("There is no TCP congestion control called \"" + name
                    + "\"; use --tcp-congestion=cubic or --tcp-congestion=newreno.");
        };
    }

    /** A fresh instance for a connection sending segments of at most {@code mss} octets. */
    public CongestionControl create(int mss) {
        return switch (this) {
            case NEW_RENO -> new NewReno(mss);
            case CUBIC -> new Cubic(mss);
        };
    }
}
