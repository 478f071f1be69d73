package org.mirage4j.tcpip.tcp;

import java.time.Duration;

/**
 * A snapshot of one connection: where it is and how it fares.
 *
 * @param state the connection's state
 * @param bytesSent octets of data the peer acknowledged
 * @param bytesReceived octets of data received in order
 * @param segmentsSent segments sent, retransmissions included
 * @param segmentsReceived segments received for this connection
 * @param retransmits segments retransmitted
 * @param fastRetransmits loss recoveries entered on duplicate ACKs or SACK
 * @param timeouts retransmission timeouts
 * @param smoothedRtt the smoothed round-trip time (zero before the first sample)
 * @param rttVariation the round-trip time variation
 * @param rto the retransmission timeout that would be armed now
 * @param cwnd the congestion window, in octets
 * @param ssthresh the slow-start threshold, in octets
 * @param sendWindow the peer's receive window, in octets
 * @param receiveWindow our receive window as last offered, in octets
 * @param sendMss the largest data per segment we send
 */
public record ConnectionStats(
        TcpState state,
        long bytesSent,
        long bytesReceived,
        long segmentsSent,
        long segmentsReceived,
        long retransmits,
        long fastRetransmits,
        long timeouts,
        Duration smoothedRtt,
        Duration rttVariation,
        Duration rto,
        int cwnd,
        int ssthresh,
        int sendWindow,
        int receiveWindow,
        int sendMss) {}
