package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.mirage4j.tcpip.wire.TcpRepr;

/** Drives an open connection into each synchronized state by the book (RFC 9293 figure 5). */
final class States {

    private States() {}

    /** Takes {@code p}'s connection from ESTABLISHED to {@code state}; the peer has absorbed all it was sent. */
    static void enter(Opened.Pair p, TcpState state) {
        Harness h = p.harness();
        Peer peer = p.peer();
        Connection c = p.connection();
        switch (state) {
            case ESTABLISHED -> {}
            case FIN_WAIT_1 -> {
                c.shutdownOutput(h.now);
                assertThat(peer.take().header().fin()).isTrue();
            }
            case FIN_WAIT_2 -> {
                enter(p, TcpState.FIN_WAIT_1);
                peer.ack();
            }
            case CLOSE_WAIT -> {
                peer.send(peer.segment(TcpRepr.ACK | TcpRepr.FIN));
                peer.take(); // the ACK of the FIN
            }
            case LAST_ACK -> {
                enter(p, TcpState.CLOSE_WAIT);
                c.shutdownOutput(h.now);
                assertThat(peer.take().header().fin()).isTrue();
            }
            case CLOSING -> {
                c.shutdownOutput(h.now);
                Harness.Sent fin = h.next(); // the peer has not seen our FIN when it sends its own
                peer.send(peer.segment(TcpRepr.ACK | TcpRepr.FIN));
                peer.absorb(fin);
                peer.take(); // the ACK of its FIN
            }
            case TIME_WAIT -> {
                enter(p, TcpState.FIN_WAIT_2);
                peer.send(peer.segment(TcpRepr.ACK | TcpRepr.FIN));
                peer.take();
            }
            default -> throw new IllegalArgumentException("not a synchronized state: " + state);
        }
        assertThat(c.state()).isEqualTo(state);
        h.expectNothing();
    }
}
