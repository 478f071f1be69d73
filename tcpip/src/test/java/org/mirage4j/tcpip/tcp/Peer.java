package org.mirage4j.tcpip.tcp;

import java.nio.charset.StandardCharsets;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The remote end of a {@link Harness}'s connection, played by the test: it keeps its own sequence numbers and
 * builds the segments the test sends. What it sends and expects stays explicit in each test.
 */
final class Peer {

    final Harness harness;
    final int port;
    final int localPort;
    /** The peer's SND.NXT. */
    SeqNum nxt;
    /** The peer's RCV.NXT: what it acknowledges. */
    SeqNum rcvNxt = SeqNum.ZERO;
    int window = 65_535;
    boolean timestamps;
    int tsOffset = 700_000;
    /** The engine's last TSval, echoed. */
    int tsEcr;

    Peer(Harness harness, int port, int localPort, SeqNum isn) {
        this.harness = harness;
        this.port = port;
        this.localPort = localPort;
        this.nxt = isn;
    }

    /** The peer's TSval now: its own millisecond clock. */
    int tsVal() {
        return (int) (harness.now / 1_000_000L) + tsOffset;
    }

    /** A segment with the peer's current numbers, timestamps if on; ACK flag set unless {@code flags} has SYN alone. */
    TcpRepr segment(int flags) {
        TcpRepr seg = TcpRepr.of(port, localPort, nxt, rcvNxt, flags, window);
        if (timestamps) seg = seg.withTimestamps(new TcpOption.Timestamps(tsVal(), (flags & TcpRepr.ACK) != 0 ? tsEcr : 0));
        return seg;
    }

    /** The SYN Linux sends: MSS 1460, SACK permitted, timestamps, window scale 7. */
    TcpRepr linuxSyn() {
        timestamps = true;
        return TcpRepr.of(port, localPort, nxt, SeqNum.ZERO, TcpRepr.SYN, 64_240).withMaxSegmentSize(1460)
                .withSackPermitted(true).withTimestamps(new TcpOption.Timestamps(tsVal(), 0)).withWindowScale(7);
    }

    /** Sends {@code seg} with {@code data}; moves SND.NXT past it if it starts there. */
    void send(TcpRepr seg, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        harness.receive(seg, bytes);
        if (seg.seq().equals(nxt)) nxt = nxt.plus(bytes.length + (seg.syn() ? 1 : 0) + (seg.fin() ? 1 : 0));
    }

    void send(TcpRepr seg) {
        send(seg, "");
    }

    /** Sends an ACK of everything received so far. */
    void ack() {
        send(segment(TcpRepr.ACK));
    }

    /** Sends {@code data} in one segment, with ACK and PSH. */
    void data(String data) {
        send(segment(TcpRepr.ACK | TcpRepr.PSH), data);
    }

    /** Takes the engine's next segment and notes what it acknowledges and echoes. */
    Harness.Sent take() {
        Harness.Sent s = harness.next();
        absorb(s);
        return s;
    }

    /** Notes what {@code s} carries: moves RCV.NXT past it if it starts there, and keeps its TSval to echo. */
    void absorb(Harness.Sent s) {
        TcpRepr h = s.header();
        if (h.syn()) rcvNxt = h.seq();
        if (h.seq().equals(rcvNxt) && !h.rst()) {
            rcvNxt = rcvNxt.plus(s.length() + (h.syn() ? 1 : 0) + (h.fin() ? 1 : 0));
        }
        if (h.timestamps() != null) tsEcr = h.timestamps().value();
    }
}
