package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;

/** Closing a connection (RFC 9293 section 3.6): active, passive, simultaneous, half-closed, and TIME-WAIT. */
class ClosingTest extends EngineTest {

    private static final Duration TWO_MSL = TcpConfig.DEFAULT.msl().multipliedBy(2);

    @Test
    void activeCloseGoesThroughTimeWait() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        c.shutdownOutput(h.now);
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_1);
        TcpRepr fin = p.peer().take().header();
        assertThat(fin.flags()).isEqualTo(TcpRepr.FIN | TcpRepr.ACK);
        p.peer().ack();
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_2);
        h.expectNothing();
        p.peer().data("last words");
        p.peer().send(p.peer().segment(TcpRepr.ACK | TcpRepr.FIN));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        TcpRepr ack = p.peer().take().header();
        assertThat(ack.ack()).isEqualTo(p.peer().nxt);
        assertThat(h.read(c)).as("data that came before the FIN is still read").isEqualTo("last words");
        assertThat(h.read(c)).isNull();
        assertThat(h.engine.stats().timeWait()).isEqualTo(1);
        h.advance(TWO_MSL.minusMillis(1));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        h.advance(Duration.ofMillis(1));
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(c.error()).isNull();
        assertThat(h.engine.stats().connections()).isZero();
        assertThat(h.engine.stats().timeWait()).isZero();
        h.expectNothing();
    }

    @Test
    void passiveCloseGoesThroughLastAck() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        p.peer().data("request");
        p.peer().send(p.peer().segment(TcpRepr.ACK | TcpRepr.FIN));
        assertThat(c.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(p.peer().take().header().ack()).isEqualTo(p.peer().nxt); // a FIN is acknowledged at once
        assertThat(h.read(c)).isEqualTo("request");
        assertThat(c.isEndOfStream()).isTrue();
        assertThat(h.read(c)).isNull();
        h.write(c, "response");
        assertThat(p.peer().take().text()).isEqualTo("response");
        c.close(h.now);
        assertThat(c.state()).isEqualTo(TcpState.LAST_ACK);
        assertThat(p.peer().take().header().fin()).isTrue();
        p.peer().ack();
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(c.error()).isNull();
        assertThat(h.engine.stats().connections()).isZero();
        h.expectNothing();
    }

    /** RFC 9293 figure 13: both FINs cross; CLOSING, then TIME-WAIT. */
    @Test
    void simultaneousClose() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        c.shutdownOutput(h.now);
        Harness.Sent ourFin = h.next();
        p.peer().send(p.peer().segment(TcpRepr.ACK | TcpRepr.FIN)); // does not acknowledge our FIN yet
        assertThat(c.state()).isEqualTo(TcpState.CLOSING);
        p.peer().absorb(ourFin);
        assertThat(p.peer().take().header().ack()).isEqualTo(p.peer().nxt);
        p.peer().ack();
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    /** Half-close: the peer is done sending, we go on sending and it goes on acknowledging. */
    @Test
    void halfClosedConnectionStillSends() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        p.peer().send(p.peer().segment(TcpRepr.ACK | TcpRepr.FIN));
        p.peer().take();
        assertThat(c.state()).isEqualTo(TcpState.CLOSE_WAIT);
        for (int i = 0; i < 5; i++) {
            h.write(c, "chunk " + i);
            assertThat(p.peer().take().text()).isEqualTo("chunk " + i);
            p.peer().ack();
        }
        assertThat(c.unacknowledged()).isZero();
        assertThat(c.state()).isEqualTo(TcpState.CLOSE_WAIT);
    }

    /** And the other way: we shut our side, the peer goes on sending, we go on reading. */
    @Test
    void shutdownOutputStillReceives() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        States.enter(p, TcpState.FIN_WAIT_2);
        p.peer().data("more");
        assertThat(h.read(c)).isEqualTo("more");
        assertThat(c.write(TcpTestBuffers.ascii("no"), h.now)).as("sending is over").isEqualTo(-1);
    }

    /** RFC 2525 section 2.17: closing with unread data resets, so the peer knows it was not read. */
    @Test
    void closeWithUnreadDataResets() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        p.peer().data("unread");
        h.advance(Duration.ofMillis(100));
        p.peer().take(); // the delayed ACK
        c.close(h.now);
        TcpRepr rst = h.next().header();
        assertThat(rst.rst()).isTrue();
        assertThat(rst.seq()).isEqualTo(p.peer().rcvNxt);
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(c.error()).isEqualTo(TcpError.ABORTED);
        assertThat(h.engine.stats().connections()).isZero();
    }

    /** Data arriving after the application closed has nobody to read it: the peer is reset. */
    @Test
    void dataAfterCloseResets() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        c.close(h.now);
        p.peer().take(); // FIN
        p.peer().data("too late");
        TcpRepr rst = h.next().header();
        assertThat(rst.rst()).isTrue();
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void abortSendsResetAndDropsEverything() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        p.peer().window = 0;
        p.peer().ack();
        h.write(c, "never sent");
        c.abort(h.now);
        TcpRepr rst = h.next().header();
        assertThat(rst.flags()).isEqualTo(TcpRepr.RST | TcpRepr.ACK);
        assertThat(c.error()).isEqualTo(TcpError.ABORTED);
        assertThat(c.write(TcpTestBuffers.ascii("x"), h.now)).isEqualTo(-1);
        h.expectNothing();
    }

    /** RFC 9293 section 3.10.7.4: in TIME-WAIT a resent FIN is acknowledged and restarts the 2 MSL timer. */
    @Test
    void timeWaitAcknowledgesAResentFin() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        States.enter(p, TcpState.TIME_WAIT);
        h.advance(TWO_MSL.dividedBy(2));
        // The peer's FIN again: one before RCV.NXT, so unacceptable; acknowledged, and the timer starts again.
        h.receive(TcpRepr.of(p.peer().port, Opened.SERVER_PORT, p.peer().nxt.plus(-1), p.peer().rcvNxt,
                TcpRepr.ACK | TcpRepr.FIN, 1000).withTimestamps(new TcpOption.Timestamps(p.peer().tsVal(), p.peer().tsEcr)));
        TcpRepr ack = h.next().header();
        assertThat(ack.flags()).isEqualTo(TcpRepr.ACK);
        assertThat(ack.ack()).isEqualTo(p.peer().nxt);
        h.advance(TWO_MSL.minusMillis(1));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        h.advance(Duration.ofMillis(2));
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
    }

    /** The TIME-WAIT table is bounded: beyond it, the oldest connection ends early. */
    @Test
    void timeWaitTableIsBounded() {
        Harness h = harness(TcpConfig.builder().timeWaitLimit(2).build());
        Listener listener = h.engine.listen(Opened.SERVER_PORT);
        Connection[] connections = new Connection[3];
        for (int i = 0; i < 3; i++) {
            Peer peer = new Peer(h, 41_000 + i, Opened.SERVER_PORT, new SeqNum(1000 * i));
            peer.send(peer.linuxSyn());
            peer.take();
            peer.ack();
            connections[i] = listener.accept();
            connections[i].close(h.now);
            peer.take();
            peer.ack();
            peer.send(peer.segment(TcpRepr.ACK | TcpRepr.FIN));
            peer.take();
        }
        assertThat(connections[0].state()).isEqualTo(TcpState.CLOSED);
        assertThat(connections[1].state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(connections[2].state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(h.engine.stats().timeWait()).isEqualTo(2);
        assertThat(h.engine.stats().get(TcpCounter.TIME_WAIT_EVICTED)).isEqualTo(1);
    }

    /** RFC 6191: a SYN with a newer timestamp ends TIME-WAIT and opens the new connection at once. */
    @Test
    void timeWaitGivesWayToANewSyn() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        States.enter(p, TcpState.TIME_WAIT);
        h.advance(Duration.ofSeconds(1));
        Peer again = new Peer(h, Opened.PEER_PORT, Opened.SERVER_PORT, p.peer().nxt.plus(100_000));
        again.send(again.linuxSyn());
        assertThat(again.take().header().flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        assertThat(p.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(h.engine.stats().get(TcpCounter.TIME_WAIT_REUSED)).isEqualTo(1);
        again.ack();
        assertThat(h.engine.listener(Opened.SERVER_PORT).accept().state()).isEqualTo(TcpState.ESTABLISHED);
    }

    /** A FIN that is not acknowledged is retransmitted like data. */
    @Test
    void finIsRetransmitted() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        c.shutdownOutput(h.now);
        TcpRepr fin = h.next().header();
        h.fireNextTimer();
        TcpRepr again = h.next().header();
        assertThat(again.fin()).isTrue();
        assertThat(again.seq()).isEqualTo(fin.seq());
    }

    /** An orphaned connection (closed by the application) does not wait in FIN-WAIT-2 for ever. */
    @Test
    void closedConnectionLeavesFinWait2AfterTheTimeout() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        c.close(h.now);
        p.peer().take();
        p.peer().ack();
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_2);
        h.advance(TcpConfig.DEFAULT.finWait2Timeout().plusMillis(1));
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(h.engine.stats().connections()).isZero();
    }

    @Test
    void shutdownOutputInSynSentForgetsTheConnection() {
        Harness h = harness();
        Connection c = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 443, h.now);
        h.next();
        c.shutdownOutput(h.now);
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(h.engine.stats().connections()).isZero();
        assertThat(h.engine.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }
}
