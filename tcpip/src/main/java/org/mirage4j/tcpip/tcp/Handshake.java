package org.mirage4j.tcpip.tcp;

import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The three-way handshake's segments and what they settle (RFC 9293 section 3.5): the SYN we offer, the SYN-ACK
 * that answers a peer's SYN, and the options both sides then use. An option is on only if both SYNs carry it:
 * window scaling and timestamps (RFC 7323 sections 1.3 and 3.2), SACK (RFC 2018 section 2). Without an MSS option
 * the peer takes 536 octets (RFC 9293 section 3.7.1).
 */
final class Handshake {

    /** The MSS a peer that sends no MSS option can take (RFC 9293 section 3.7.1, RFC 6691). */
    static final int DEFAULT_MSS = 536;

    private Handshake() {}

    /**
     * What the handshake settled.
     *
     * @param sendMss the largest segment we send: the peer's MSS, at most ours
     * @param scaling whether window scaling is on (both SYNs carried the option)
     * @param sendShift the scale of the peer's window fields
     * @param receiveShift the scale of our window fields
     * @param sack whether SACK blocks are sent and honoured
     * @param timestamps whether every segment carries timestamps
     */
    record Options(int sendMss, boolean scaling, int sendShift, int receiveShift, boolean sack, boolean timestamps) {

        /** What a SYN-ACK carrying a SYN cookie leaves: only the MSS the cookie encodes. */
        static Options cookie(int mss) {
            return new Options(mss, false, 0, 0, false, false);
        }
    }

    /** The options both sides use, given ours ({@code config}) and the peer's SYN or SYN-ACK. */
    static Options negotiate(TcpConfig config, TcpRepr peerSyn) {
        int peerMss = peerSyn.maxSegmentSize() == 0 ? DEFAULT_MSS : peerSyn.maxSegmentSize();
        int sendMss = Math.min(peerMss, config.maxSegmentSize());
        boolean scaling = config.windowScaling() && peerSyn.windowScale() >= 0;
        // RFC 7323 section 2.3: a shift above 14 is taken as 14.
        int sendShift = scaling ? Math.min(peerSyn.windowScale(), TcpOption.MAX_WINDOW_SCALE) : 0;
        int receiveShift = scaling ? config.windowScaleShift() : 0;
        boolean sack = config.sack() && peerSyn.sackPermitted();
        boolean timestamps = config.timestamps() && peerSyn.timestamps() != null;
        return new Options(sendMss, scaling, sendShift, receiveShift, sack, timestamps);
    }

    /** Our SYN, offering every option {@code config} allows. */
    static TcpRepr syn(TcpConfig config, FourTuple tuple, SeqNum iss, int window, int tsVal) {
        TcpRepr syn = TcpRepr.of(tuple.localPort(), tuple.remotePort(), iss, SeqNum.ZERO, TcpRepr.SYN, window)
                .withMaxSegmentSize(config.maxSegmentSize())
                .withSackPermitted(config.sack());
        if (config.timestamps()) syn = syn.withTimestamps(new TcpOption.Timestamps(tsVal, 0));
        if (config.windowScaling()) syn = syn.withWindowScale(config.windowScaleShift());
        return syn;
    }

    /** Our SYN-ACK, carrying only the options the peer's SYN offered too. */
    static TcpRepr synAck(TcpConfig config, FourTuple tuple, SeqNum iss, SeqNum ack, int window, Options options,
            int tsVal, int tsEcr) {
        TcpRepr synAck = TcpRepr.of(tuple.localPort(), tuple.remotePort(), iss, ack, TcpRepr.SYN | TcpRepr.ACK, window)
                .withMaxSegmentSize(config.maxSegmentSize())
                .withSackPermitted(options.sack());
        if (options.timestamps()) synAck = synAck.withTimestamps(new TcpOption.Timestamps(tsVal, tsEcr));
        if (options.scaling()) synAck = synAck.withWindowScale(options.receiveShift());
        return synAck;
    }
}
