package org.mirage4j.tcpip.tcp;

import java.time.Duration;
import java.util.Objects;
import org.mirage4j.tcpip.tcp.cc.CongestionAlgorithm;

/**
 * The settings of a {@link TcpEngine}: options offered, buffer sizes, timers and bounds. {@link #DEFAULT} holds the
 * values a host on an Ethernet link wants; {@link #builder()} changes some of them.
 *
 * @param maxSegmentSize the most data per segment, both the MSS we announce and the most we send: the link's MTU
 *     minus 40 (1460 on Ethernet)
 * @param receiveBufferSize per connection: the most received data held for the application, in order or not; the
 *     receive window never offers more
 * @param sendBufferSize per connection: the most data the application may queue before writes stop taking it
 * @param windowScaling whether to offer window scaling (RFC 7323 section 2)
 * @param timestamps whether to offer timestamps (RFC 7323 section 3; needed for PAWS)
 * @param sack whether to offer selective acknowledgments (RFC 2018)
 * @param congestionControl the congestion control of new connections
 * @param noDelay whether new connections disable Nagle's algorithm (RFC 896)
 * @param delayedAck how long an acknowledgment may wait for a second segment or data to ride on (RFC 1122
 *     section 4.2.3.2: at most 500 ms); zero acknowledges every segment at once
 * @param initialRto the retransmission timeout before the first RTT sample (RFC 6298 section 2.1: 1 s)
 * @param minRto the lowest retransmission timeout (RFC 6298 says 1 s; Linux uses 200 ms, as we do by default)
 * @param maxRto the highest retransmission timeout, backoff included (at least 60 s, RFC 6298 section 2.5)
 * @param synRetries how often a SYN is retransmitted before {@code connect} fails with {@link TcpError#TIMED_OUT}
 * @param synAckRetries how often a SYN-ACK is retransmitted before the half-open connection is dropped
 * @param dataRetries how often a segment is retransmitted before the connection fails with
 *     {@link TcpError#TIMED_OUT} (RFC 1122 section 4.2.3.5's R2)
 * @param msl the maximum segment lifetime; TIME-WAIT lasts twice as long (RFC 9293 section 3.4.2)
 * @param timeWaitLimit the most connections kept in TIME-WAIT; beyond it the oldest is ended early
 * @param acceptBacklog a listener's default bound on connections being opened or waiting to be accepted
 * @param synCookies whether a listener whose backlog is full answers with SYN cookies (RFC 4987 section 3.6)
 *     rather than dropping SYNs
 * @param outOfOrderLimit the most separate runs of out-of-order data held per connection
 * @param finWait2Timeout how long a connection the application closed waits in FIN-WAIT-2 for the peer's FIN
 * @param keepalive the keepalive timing, used by connections that turn keepalive on (off by default)
 * @param challengeAckLimit the most RFC 5961 challenge ACKs sent per second, over all connections (section 7)
 * @param offloadSegmentLimit the largest TCP segment, header included, that the network device cuts into MSS-sized
 *     ones for us (TCP segmentation offload): new data then goes out in segments of up to this size, a multiple of
 *     the MSS; 0 (the default) when the device does not
 */
public record TcpConfig(
        int maxSegmentSize,
        int receiveBufferSize,
        int sendBufferSize,
        boolean windowScaling,
        boolean timestamps,
        boolean sack,
        CongestionAlgorithm congestionControl,
        boolean noDelay,
        Duration delayedAck,
        Duration initialRto,
        Duration minRto,
        Duration maxRto,
        int synRetries,
        int synAckRetries,
        int dataRetries,
        Duration msl,
        int timeWaitLimit,
        int acceptBacklog,
        boolean synCookies,
        int outOfOrderLimit,
        Duration finWait2Timeout,
        Keepalive keepalive,
        int challengeAckLimit,
        int offloadSegmentLimit) {

    /** The settings for a host on an Ethernet link. */
    public static final TcpConfig DEFAULT = new TcpConfig(1460, 256 * 1024, 256 * 1024, true, true, true,
            CongestionAlgorithm.CUBIC, false, Duration.ofMillis(40), Duration.ofSeconds(1), Duration.ofMillis(200),
            Duration.ofSeconds(60), 6, 5, 15, Duration.ofSeconds(30), 4096, 128, true, 32, Duration.ofSeconds(60),
            Keepalive.DEFAULT, 1000, 0);

    /** The largest receive window a window scale can offer: 2^30 octets (RFC 7323 section 2.3). */
    static final int MAX_WINDOW = 1 << 30;

    /**
     * When keepalive probes go out on a connection that turned keepalive on (RFC 1122 section 4.2.3.6).
     *
     * @param idle how long the connection is idle before the first probe (at least two hours by default)
     * @param interval the time between unanswered probes
     * @param probes how many unanswered probes end the connection with {@link TcpError#TIMED_OUT}
     */
    public record Keepalive(Duration idle, Duration interval, int probes) {

        /** RFC 1122's two hours, then Linux's 75 s and 9 probes. */
        public static final Keepalive DEFAULT = new Keepalive(Duration.ofHours(2), Duration.ofSeconds(75), 9);

        public Keepalive {
            positive("keepalive idle", idle);
            positive("keepalive interval", interval);
            if (probes < 1) throw new IllegalArgumentException("keepalive probes must be at least 1, not " + probes + ".");
        }
    }

    public TcpConfig {
        if (maxSegmentSize < 88 || maxSegmentSize > 65_495) {
            throw new IllegalArgumentException("maxSegmentSize must be 88 to 65495 (the MTU minus 40), not "
                    + maxSegmentSize + ".");
        }
        if (receiveBufferSize < maxSegmentSize || receiveBufferSize > MAX_WINDOW) {
            throw new IllegalArgumentException("receiveBufferSize must be from one segment (" + maxSegmentSize
                    + ") to 1 GiB, not " + receiveBufferSize + ".");
        }
        if (!windowScaling && receiveBufferSize > 0xFFFF) {
            // Without window scaling no window above 65535 can be offered; the rest of the buffer would go unused.
            receiveBufferSize = 0xFFFF;
        }
        if (sendBufferSize < 1 || sendBufferSize > MAX_WINDOW) {
            throw new IllegalArgumentException("sendBufferSize must be 1 to 1 GiB, not " + sendBufferSize + ".");
        }
        Objects.requireNonNull(congestionControl, "congestionControl");
        Objects.requireNonNull(delayedAck, "delayedAck");
        if (delayedAck.isNegative() || delayedAck.compareTo(Duration.ofMillis(500)) > 0) {
            throw new IllegalArgumentException("delayedAck must be 0 to 500 ms (RFC 1122 section 4.2.3.2), not "
                    + delayedAck + ".");
        }
        positive("initialRto", initialRto);
        positive("minRto", minRto);
        positive("maxRto", maxRto);
        if (minRto.compareTo(maxRto) > 0) {
            throw new IllegalArgumentException("minRto " + minRto + " is above maxRto " + maxRto + ".");
        }
        if (synRetries < 0 || synAckRetries < 0 || dataRetries < 1) {
            throw new IllegalArgumentException("Retry counts must not be negative (and dataRetries at least 1).");
        }
        positive("msl", msl);
        if (timeWaitLimit < 0) throw new IllegalArgumentException("timeWaitLimit must not be negative.");
        if (acceptBacklog < 1) throw new IllegalArgumentException("acceptBacklog must be at least 1.");
        if (outOfOrderLimit < 1) throw new IllegalArgumentException("outOfOrderLimit must be at least 1.");
        positive("finWait2Timeout", finWait2Timeout);
        Objects.requireNonNull(keepalive, "keepalive");
        if (challengeAckLimit < 1) throw new IllegalArgumentException("challengeAckLimit must be at least 1.");
        if (offloadSegmentLimit != 0 && (offloadSegmentLimit < 2 * maxSegmentSize || offloadSegmentLimit > 65_515)) {
            throw new IllegalArgumentException("offloadSegmentLimit must be 0 (no offload) or from two segments ("
                    + 2 * maxSegmentSize + ") to 65515 (an IPv4 datagram's payload), not " + offloadSegmentLimit + ".");
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value + ".");
        }
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The window scale shift that lets the whole receive buffer be offered (RFC 7323 section 2.3), or 0. */
    int windowScaleShift() {
        int shift = 0;
        while (shift < 14 && (receiveBufferSize >>> shift) > 0xFFFF) shift++;
        return shift;
    }

    /** Changes some settings of a {@link TcpConfig}; {@link #build()} checks them. */
    public static final class Builder {
        private int maxSegmentSize;
        private int receiveBufferSize;
        private int sendBufferSize;
        private boolean windowScaling;
        private boolean timestamps;
        private boolean sack;
        private CongestionAlgorithm congestionControl;
        private boolean noDelay;
        private Duration delayedAck;
        private Duration initialRto;
        private Duration minRto;
        private Duration maxRto;
        private int synRetries;
        private int synAckRetries;
        private int dataRetries;
        private Duration msl;
        private int timeWaitLimit;
        private int acceptBacklog;
        private boolean synCookies;
        private int outOfOrderLimit;
        private Duration finWait2Timeout;
        private Keepalive keepalive;
        private int challengeAckLimit;
        private int offloadSegmentLimit;

        private Builder(TcpConfig c) {
            maxSegmentSize = c.maxSegmentSize;
            receiveBufferSize = c.receiveBufferSize;
            sendBufferSize = c.sendBufferSize;
            windowScaling = c.windowScaling;
            timestamps = c.timestamps;
            sack = c.sack;
            congestionControl = c.congestionControl;
            noDelay = c.noDelay;
            delayedAck = c.delayedAck;
            initialRto = c.initialRto;
            minRto = c.minRto;
            maxRto = c.maxRto;
            synRetries = c.synRetries;
            synAckRetries = c.synAckRetries;
            dataRetries = c.dataRetries;
            msl = c.msl;
            timeWaitLimit = c.timeWaitLimit;
            acceptBacklog = c.acceptBacklog;
            synCookies = c.synCookies;
            outOfOrderLimit = c.outOfOrderLimit;
            finWait2Timeout = c.finWait2Timeout;
            keepalive = c.keepalive;
            challengeAckLimit = c.challengeAckLimit;
            offloadSegmentLimit = c.offloadSegmentLimit;
        }

        public Builder maxSegmentSize(int v) { maxSegmentSize = v; return this; }
        public Builder receiveBufferSize(int v) { receiveBufferSize = v; return this; }
        public Builder sendBufferSize(int v) { sendBufferSize = v; return this; }
        public Builder windowScaling(boolean v) { windowScaling = v; return this; }
        public Builder timestamps(boolean v) { timestamps = v; return this; }
        public Builder sack(boolean v) { sack = v; return this; }
        public Builder congestionControl(CongestionAlgorithm v) { congestionControl = v; return this; }
        public Builder noDelay(boolean v) { noDelay = v; return this; }
        public Builder delayedAck(Duration v) { delayedAck = v; return this; }
        public Builder initialRto(Duration v) { initialRto = v; return this; }
        public Builder minRto(Duration v) { minRto = v; return this; }
        public Builder maxRto(Duration v) { maxRto = v; return this; }
        public Builder synRetries(int v) { synRetries = v; return this; }
        public Builder synAckRetries(int v) { synAckRetries = v; return this; }
        public Builder dataRetries(int v) { dataRetries = v; return this; }
        public Builder msl(Duration v) { msl = v; return this; }
        public Builder timeWaitLimit(int v) { timeWaitLimit = v; return this; }
        public Builder acceptBacklog(int v) { acceptBacklog = v; return this; }
        public Builder synCookies(boolean v) { synCookies = v; return this; }
        public Builder outOfOrderLimit(int v) { outOfOrderLimit = v; return this; }
        public Builder finWait2Timeout(Duration v) { finWait2Timeout = v; return this; }
        public Builder keepalive(Keepalive v) { keepalive = v; return this; }
        public Builder challengeAckLimit(int v) { challengeAckLimit = v; return this; }
        public Builder offloadSegmentLimit(int v) { offloadSegmentLimit = v; return this; }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the first setting out of its range
         */
        public TcpConfig build() {
            return new TcpConfig(maxSegmentSize, receiveBufferSize, sendBufferSize, windowScaling, timestamps, sack,
                    congestionControl, noDelay, delayedAck, initialRto, minRto, maxRto, synRetries, synAckRetries,
                    dataRetries, msl, timeWaitLimit, acceptBacklog, synCookies, outOfOrderLimit, finWait2Timeout,
                    keepalive, challengeAckLimit, offloadSegmentLimit);
        }
    }
}
