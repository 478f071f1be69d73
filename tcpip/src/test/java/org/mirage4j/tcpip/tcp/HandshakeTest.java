package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.tcp.Opened.PEER_ISN;
import static org.mirage4j.tcpip.tcp.Opened.PEER_PORT;
import static org.mirage4j.tcpip.tcp.Opened.SERVER_PORT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;

/** The three-way handshake (RFC 9293 section 3.5), driven segment by segment. */
class HandshakeTest extends EngineTest {

    private final Harness h = harness();

    @Test
    void passiveOpenNegotiatesEveryOption() {
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        int peerTsVal = peer.tsVal();
        peer.send(peer.linuxSyn());

        TcpRepr synAck = peer.take().header();
        assertThat(synAck.flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        assertThat(synAck.ack()).isEqualTo(PEER_ISN.plus(1));
        assertThat(synAck.maxSegmentSize()).isEqualTo(1460);
        assertThat(synAck.sackPermitted()).isTrue();
        assertThat(synAck.windowScale()).isEqualTo(TcpConfig.DEFAULT.windowScaleShift());
        assertThat(synAck.timestamps().echoReply()).isEqualTo(peerTsVal);
        assertThat(synAck.window()).as("a SYN's window is never scaled").isEqualTo(65_535);
        assertThat(listener.opening()).isEqualTo(1);
        assertThat(listener.accept()).isNull();

        peer.ack();
        assertThat(h.acceptReady).containsExactly(listener);
        Connection c = listener.accept();
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(c.tuple()).isEqualTo(new FourTuple(Harness.LOCAL, SERVER_PORT, Harness.REMOTE, PEER_PORT));
        assertThat(listener.opening()).isZero();
        assertThat(c.stats().sendMss()).as("1460 minus the 12 octets of timestamps").isEqualTo(1448);
        assertThat(c.stats().sendWindow()).as("the peer's window field scaled by 2^7").isEqualTo(65_535 << 7);
        h.expectNothing();
    }

    @Test
    void peerWithoutOptionsGetsNone() {
        Opened.Pair p = Opened.passiveBare(harness());
        Connection c = p.connection();
        assertThat(c.stats().sendMss()).as("RFC 9293 section 3.7.1: 536 without the option").isEqualTo(536);
        p.harness().write(c, "x".repeat(1200));
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (p.harness().sent.isEmpty()) p.peer().ack(); // Nagle holds the short last segment until then
            Harness.Sent s = p.peer().take();
            assertThat(s.header().timestamps()).isNull();
            assertThat(s.header().sackBlocks()).isEmpty();
            lengths.add(s.length());
        }
        assertThat(lengths).containsExactly(536, 536, 128);
    }

    @Test
    void synAckWithoutOptionsTheSynDidNotOffer() {
        h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(TcpRepr.of(PEER_PORT, SERVER_PORT, PEER_ISN, SeqNum.ZERO, TcpRepr.SYN, 1000).withMaxSegmentSize(1000));
        TcpRepr synAck = peer.take().header();
        assertThat(synAck.windowScale()).isEqualTo(-1);
        assertThat(synAck.sackPermitted()).isFalse();
        assertThat(synAck.timestamps()).isNull();
        assertThat(synAck.maxSegmentSize()).isEqualTo(1460);
    }

    @Test
    void activeOpen() {
        Connection c = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 443, h.now);
        assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
        assertThat(c.tuple().localPort()).isBetween(TcpEngine.EPHEMERAL_FIRST, TcpEngine.EPHEMERAL_LAST);
        Harness.Sent syn = h.next();
        assertThat(syn.header().flags()).isEqualTo(TcpRepr.SYN);
        assertThat(syn.header().maxSegmentSize()).isEqualTo(1460);
        assertThat(syn.header().sackPermitted()).isTrue();
        assertThat(syn.header().windowScale()).isEqualTo(TcpConfig.DEFAULT.windowScaleShift());
        assertThat(syn.header().timestamps()).isNotNull();

        Peer peer = new Peer(h, 443, c.tuple().localPort(), new SeqNum(12345));
        peer.absorb(syn);
        peer.timestamps = true;
        peer.send(peer.segment(TcpRepr.SYN | TcpRepr.ACK).withMaxSegmentSize(1400).withWindowScale(2)
                .withSackPermitted(true));
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(h.changed).contains(c);
        TcpRepr ack = peer.take().header();
        assertThat(ack.flags()).isEqualTo(TcpRepr.ACK);
        assertThat(ack.seq()).isEqualTo(syn.header().seq().plus(1));
        assertThat(ack.ack()).isEqualTo(new SeqNum(12346));
        assertThat(c.stats().sendMss()).isEqualTo(1400 - 12);
        assertThat(c.stats().sendWindow()).isEqualTo(65_535); // the SYN-ACK's window is not scaled
        peer.window = 1000;
        peer.ack();
        assertThat(c.stats().sendWindow()).as("later windows are scaled by 2^2").isEqualTo(4000);
    }

    /** RFC 9293 figure 8: both sides send a SYN at once. */
    @Test
    void simultaneousOpen() {
        FourTuple tuple = new FourTuple(Harness.LOCAL, 5000, Harness.REMOTE, 6000);
        Connection c = h.engine.connect(tuple, h.now);
        Harness.Sent ourSyn = h.next();
        Peer peer = new Peer(h, 6000, 5000, new SeqNum(777));
        peer.send(TcpRepr.of(6000, 5000, new SeqNum(777), SeqNum.ZERO, TcpRepr.SYN, 8192).withMaxSegmentSize(1460));
        assertThat(c.state()).isEqualTo(TcpState.SYN_RECEIVED);
        TcpRepr synAck = peer.take().header();
        assertThat(synAck.flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        assertThat(synAck.seq()).isEqualTo(ourSyn.header().seq());
        assertThat(synAck.ack()).isEqualTo(new SeqNum(778));
        // The peer's SYN-ACK (its SYN again, now acknowledging ours).
        peer.send(TcpRepr.of(6000, 5000, new SeqNum(777), ourSyn.header().seq().plus(1), TcpRepr.SYN | TcpRepr.ACK, 8192)
                .withMaxSegmentSize(1460));
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(peer.take().header().flags()).isEqualTo(TcpRepr.ACK);
    }

    @Test
    void resetAcknowledgingTheSynRefuses() {
        Connection c = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 443, h.now);
        SeqNum iss = h.next().header().seq();
        Peer peer = new Peer(h, 443, c.tuple().localPort(), SeqNum.ZERO);
        // RFC 5961 section 3.2: a reset whose ACK does not acknowledge the SYN is ignored.
        peer.send(TcpRepr.of(443, c.tuple().localPort(), SeqNum.ZERO, iss.plus(2), TcpRepr.RST | TcpRepr.ACK, 0));
        assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
        peer.send(TcpRepr.of(443, c.tuple().localPort(), SeqNum.ZERO, iss, TcpRepr.RST, 0));
        assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
        h.expectNothing();
        peer.send(TcpRepr.of(443, c.tuple().localPort(), SeqNum.ZERO, iss.plus(1), TcpRepr.RST | TcpRepr.ACK, 0));
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(c.error()).isEqualTo(TcpError.REFUSED);
        assertThat(h.engine.stats().connections()).isZero();
        h.expectNothing();
    }

    /** RFC 9293 section 3.10.7.3: an ACK that does not acknowledge our SYN is answered with a reset. */
    @Test
    void unacceptableAckInSynSentGetsReset() {
        Connection c = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 443, h.now);
        SeqNum iss = h.next().header().seq();
        h.receive(TcpRepr.of(443, c.tuple().localPort(), new SeqNum(5), iss.plus(100), TcpRepr.SYN | TcpRepr.ACK, 100));
        TcpRepr rst = h.next().header();
        assertThat(rst.flags()).isEqualTo(TcpRepr.RST);
        assertThat(rst.seq()).isEqualTo(iss.plus(100));
        assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
    }

    @Test
    void synIsRetransmittedWithBackoffThenGivesUp() {
        TcpConfig config = TcpConfig.builder().synRetries(3).build();
        Harness h = harness(config);
        Connection c = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 443, h.now);
        SeqNum iss = h.next().header().seq();
        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gaps.add(h.fireNextTimer());
            TcpRepr again = h.next().header();
            assertThat(again.flags()).isEqualTo(TcpRepr.SYN);
            assertThat(again.seq()).isEqualTo(iss);
        }
        assertThat(gaps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(c.error()).isEqualTo(TcpError.TIMED_OUT);
        h.expectNothing();
        assertThat(h.engine.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void synAckIsRetransmittedThenTheHalfOpenConnectionIsDropped() {
        TcpConfig config = TcpConfig.builder().synAckRetries(2).build();
        Harness h = harness(config);
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(peer.linuxSyn());
        SeqNum iss = peer.take().header().seq();
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.next().header().seq()).isEqualTo(iss);
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.next().header().flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        h.fireNextTimer();
        h.expectNothing();
        assertThat(listener.opening()).isZero();
        assertThat(h.engine.stats().connections()).isZero();
    }

    /** The peer resends its SYN (our SYN-ACK was lost): the SYN-ACK goes again, the same. */
    @Test
    void duplicateSynGetsTheSynAckAgain() {
        h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        TcpRepr syn = peer.linuxSyn();
        peer.send(syn);
        TcpRepr first = peer.take().header();
        h.receive(syn);
        TcpRepr second = h.next().header();
        assertThat(second.seq()).isEqualTo(first.seq());
        assertThat(second.ack()).isEqualTo(first.ack());
        assertThat(second.flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        assertThat(h.engine.stats().connections()).isEqualTo(1);
    }

    /** RFC 9293 section 3.10.7.4: a reset in SYN-RECEIVED of a passive open returns it to LISTEN, silently. */
    @Test
    void resetInSynReceivedForgetsThePassiveOpen() {
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(peer.linuxSyn());
        peer.take();
        peer.send(peer.segment(TcpRepr.RST));
        h.expectNothing();
        assertThat(listener.opening()).isZero();
        assertThat(h.engine.stats().connections()).isZero();
    }

    /** RFC 9293 section 3.10.7.4: in SYN-RECEIVED, an ACK of something else is answered <SEQ=SEG.ACK><CTL=RST>. */
    @Test
    void badAckInSynReceivedGetsReset() {
        h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(peer.linuxSyn());
        TcpRepr synAck = peer.take().header();
        peer.rcvNxt = synAck.seq().plus(7);
        peer.ack();
        TcpRepr rst = h.next().header();
        assertThat(rst.flags()).isEqualTo(TcpRepr.RST);
        assertThat(rst.seq()).isEqualTo(synAck.seq().plus(7));
        assertThat(h.engine.connection(new FourTuple(Harness.LOCAL, SERVER_PORT, Harness.REMOTE, PEER_PORT)).state())
                .isEqualTo(TcpState.SYN_RECEIVED);
    }

    /** The handshake's ACK may carry data: it is delivered once the connection is established. */
    @Test
    void dataOnTheHandshakeAck() {
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(peer.linuxSyn());
        peer.take();
        peer.data("GET / HTTP/1.1\r\n\r\n");
        Connection c = listener.accept();
        assertThat(h.read(c)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
    }

    /** A window scale above 14 is taken as 14 (RFC 7323 section 2.3). */
    @Test
    void windowScaleIsCappedAt14() {
        Listener listener = h.engine.listen(SERVER_PORT);
        Peer peer = new Peer(h, PEER_PORT, SERVER_PORT, PEER_ISN);
        peer.send(TcpRepr.of(PEER_PORT, SERVER_PORT, PEER_ISN, SeqNum.ZERO, TcpRepr.SYN, 100).withWindowScale(20));
        peer.take();
        peer.window = 1;
        peer.ack();
        assertThat(listener.accept().stats().sendWindow()).isEqualTo(1 << 14);
    }

    @Test
    void timestampsEchoed() {
        Opened.Pair p = passive();
        p.harness().advance(Duration.ofMillis(5));
        int tsVal = p.peer().tsVal();
        p.peer().data("hi");
        p.harness().advance(Duration.ofMillis(40));
        TcpOption.Timestamps ts = p.peer().take().header().timestamps();
        assertThat(ts.echoReply()).isEqualTo(tsVal);
    }
}
