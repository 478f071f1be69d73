package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpRepr;

/** Connections opened by the book, for the tests that start from an open connection. */
final class Opened {

    static final int SERVER_PORT = 80;
    static final int PEER_PORT = 40_000;
    static final SeqNum PEER_ISN = new SeqNum(0xF000_0000); // near the wrap, so that the tests cross it

    /** A harness, the peer, and the connection between them. */
    record Pair(Harness harness, Peer peer, Connection connection) {}

    private Opened() {}

    /** The engine listens on port 80; a peer like Linux connects (timestamps, SACK, window scale 7). */
    static Pair passive(Harness h) {
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(peer.linuxSyn());
        Harness.Sent synAck = peer.take();
        assertThat(synAck.header().flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        peer.ack();
        Connection c = listener.accept();
        assertThat(c).isNotNull();
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        h.expectNothing();
        return new Pair(h, peer, c);
    }

    /** Like {@link #passive(Harness)}, but the peer offers no option at all (MSS 536, no scaling, no SACK). */
    static Pair passiveBare(Harness h) {
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(TcpRepr.of(PEER_PORT, SERVER_PORT, PEER_ISN, SeqNum.ZERO, TcpRepr.SYN, 65_535));
        peer.take();
        peer.ack();
        Connection c = listener.accept();
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        return new Pair(h, peer, c);
    }
}
