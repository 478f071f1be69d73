package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpRepr;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * The engine compares each segment with the connection the segment before it found, before it looks the four-tuple
 * up: that shortcut never hands a segment to the wrong connection, nor to one that has closed. Connections here
 * differ in one field of the four-tuple only (the peer's port or ours), and segments go to them in random order
 * while some of them end.
 */
class LastConnectionCacheTest extends EngineTest {

    private static final int[] PEER_PORTS = {40_000, 40_001, 40_002};
    private static final int[] OUR_PORTS = {80, 81};

    @Property(tries = 150)
    void segmentsReachTheirOwnConnection(Gen gen) {
        Harness h = harness();
        for (int port : OUR_PORTS) h.engine.listen(port);
        List<Peer> peers = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        for (int ours : OUR_PORTS) {
            for (int theirs : PEER_PORTS) {
                if (!gen.bool() && !peers.isEmpty()) continue;
                Peer peer = new Peer(h, theirs, ours, new SeqNum((int) gen.longValue()));
                peer.send(peer.linuxSyn());
                peer.take(); // the SYN-ACK
                peer.ack();
                Connection c = h.engine.listener(ours).accept();
                assertThat(c.tuple().remotePort()).isEqualTo(theirs);
                peers.add(peer);
                connections.add(c);
            }
        }
        h.sent.clear();
        boolean[] open = new boolean[peers.size()];
        Arrays.fill(open, true);
        int[] received = new int[peers.size()];
        for (int step = 0; step < 60; step++) {
            int i = gen.intBetween(0, peers.size() - 1);
            Peer peer = peers.get(i);
            if (open[i] && gen.intBetween(0, 9) == 0) {
                connections.get(i).abort(h.now); // it leaves the table: the shortcut must forget it
                open[i] = false;
                h.sent.clear();
                continue;
            }
            int length = gen.intBetween(1, 20);
            long resetsBefore = h.engine.stats().get(TcpCounter.RESETS_SENT);
            peer.data("x".repeat(length));
            if (open[i]) {
                received[i] += length;
            } else {
                assertThat(h.engine.stats().get(TcpCounter.RESETS_SENT)).as("a segment for a closed connection is reset")
                        .isGreaterThan(resetsBefore);
            }
            for (int j = 0; j < peers.size(); j++) {
                if (open[j]) {
                    assertThat(connections.get(j).readable()).as("octets on connection %d after step %d", j, step)
                            .isEqualTo(received[j]);
                }
            }
            h.sent.clear();
        }
        for (int j = 0; j < peers.size(); j++) {
            if (open[j]) assertThat(h.read(connections.get(j))).isEqualTo("x".repeat(received[j]));
        }
    }

    /**
     * A reset whose four-tuple differs from the last segment's in the peer's address only does not reach the last
     * segment's connection, though it is exactly at that connection's RCV.NXT: it is for nothing, and dropped.
     */
    @Property(tries = 20)
    void anotherPeerAddressIsAnotherConnection(Gen gen) {
        Harness h = harness();
        h.engine.listen(80);
        Peer peer = new Peer(h, 40_000, 80, new SeqNum((int) gen.longValue()));
        peer.send(peer.linuxSyn());
        peer.take();
        peer.ack();
        Connection c = h.engine.listener(80).accept();
        peer.data("abc");
        assertThat(c.readable()).isEqualTo(3);
        h.sent.clear();
        TcpRepr stray = TcpRepr.of(40_000, 80, peer.nxt, peer.rcvNxt, TcpRepr.RST | TcpRepr.ACK, 0);
        ByteBuf wire = Unpooled.buffer();
        try {
            Ipv4Address other = Ipv4Address.parse("10.0.0.3");
            stray.emit(wire, other, Harness.LOCAL, Unpooled.EMPTY_BUFFER);
            h.engine.input(other, Harness.LOCAL, wire, h.now);
        } finally {
            wire.release();
        }
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(h.engine.stats().get(TcpCounter.RESETS_RECEIVED)).isZero();
        h.expectNothing();
        peer.data("de"); // and the connection still gets its own segments
        assertThat(h.read(c)).isEqualTo("abcde");
    }
}
