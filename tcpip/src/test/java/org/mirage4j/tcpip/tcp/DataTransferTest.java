package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.tcp.cc.CongestionAlgorithm;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;

/** Data in both directions, segment by segment, in virtual time. */
class DataTransferTest extends EngineTest {

    private static String text(int length, char c) {
        return String.valueOf(c).repeat(length);
    }

    // ---------------------------------------------------------------------------------------------------- receiving

    /** RFC 1122 section 4.2.3.2: an ACK for at least every second full-sized segment. */
    @Test
    void everySecondFullSegmentIsAcknowledgedAtOnce() {
        Opened.Pair p = passive();
        p.peer().data(text(1448, 'a'));
        p.harness().expectNothing();
        p.peer().data(text(1448, 'b'));
        TcpRepr ack = p.peer().take().header();
        assertThat(ack.ack()).isEqualTo(p.peer().nxt);
        p.harness().expectNothing();
    }

    /** A lone segment's ACK waits for the delayed-ACK timer, 40 ms by default. */
    @Test
    void aLoneSegmentIsAcknowledgedAfterTheDelay() {
        Opened.Pair p = passive();
        p.peer().data("hello");
        p.harness().advance(Duration.ofMillis(39));
        p.harness().expectNothing();
        p.harness().advance(Duration.ofMillis(1));
        assertThat(p.peer().take().header().ack()).isEqualTo(p.peer().nxt);
    }

    /** The delayed ACK rides on data the application sends meanwhile. */
    @Test
    void theAcknowledgmentRidesOnAnswer() {
        Opened.Pair p = passive();
        p.peer().data("question");
        p.harness().write(p.connection(), "answer");
        Harness.Sent answer = p.peer().take();
        assertThat(answer.text()).isEqualTo("answer");
        assertThat(answer.header().ack()).isEqualTo(p.peer().nxt);
        p.harness().advance(Duration.ofMillis(100));
        p.harness().expectNothing();
    }

    @Test
    void delayedAckCanBeTurnedOff() {
        Opened.Pair p = passive(TcpConfig.builder().delayedAck(Duration.ZERO).build());
        p.peer().data("hello");
        assertThat(p.peer().take().header().ack()).isEqualTo(p.peer().nxt);
    }

    /** RFC 5681 section 4.2 and RFC 2018: out-of-order data is acknowledged at once, with SACK blocks. */
    @Test
    void outOfOrderDataIsHeldAndSacked() {
        Opened.Pair p = passive();
        Peer peer = p.peer();
        SeqNum start = peer.nxt;
        // Segments a, b, c, d of 1000 octets; they arrive as b, d, a, c.
        peer.nxt = start.plus(1000);
        peer.data(text(1000, 'b'));
        TcpRepr ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(start);
        assertThat(ack.sackBlocks()).containsExactly(new SackBlock(start.plus(1000), start.plus(2000)));
        peer.nxt = start.plus(3000);
        peer.data(text(1000, 'd'));
        ack = peer.take().header();
        assertThat(ack.sackBlocks()).as("the block of the latest segment first").containsExactly(
                new SackBlock(start.plus(3000), start.plus(4000)), new SackBlock(start.plus(1000), start.plus(2000)));
        assertThat(p.connection().readable()).isZero();
        peer.nxt = start;
        peer.data(text(1000, 'a'));
        ack = peer.take().header();
        assertThat(ack.ack()).as("filling the hole acknowledges at once").isEqualTo(start.plus(2000));
        assertThat(ack.sackBlocks()).containsExactly(new SackBlock(start.plus(3000), start.plus(4000)));
        peer.nxt = start.plus(2000);
        peer.data(text(1000, 'c'));
        ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(start.plus(4000));
        assertThat(ack.sackBlocks()).isEmpty();
        assertThat(p.harness().read(p.connection()))
                .isEqualTo(text(1000, 'a') + text(1000, 'b') + text(1000, 'c') + text(1000, 'd'));
    }

    /** Out-of-order runs are bounded: data needing one more run is dropped (and acknowledged). */
    @Test
    void outOfOrderRunsAreBounded() {
        Opened.Pair p = passive(TcpConfig.builder().outOfOrderLimit(2).build());
        Peer peer = p.peer();
        SeqNum start = peer.nxt;
        for (int i = 1; i <= 3; i++) {
            peer.nxt = start.plus(200 * i);
            peer.data("x".repeat(100));
            peer.take();
        }
        assertThat(p.harness().engine.stats().get(TcpCounter.OUT_OF_ORDER_DROPPED)).isEqualTo(1);
        peer.nxt = start;
        peer.data("y".repeat(200));
        TcpRepr ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(start.plus(300));
        assertThat(ack.sackBlocks()).containsExactly(new SackBlock(start.plus(400), start.plus(500)));
    }

    @Test
    void dataBeyondTheWindowIsAcknowledgedAndDropped() {
        Opened.Pair p = passive();
        Peer peer = p.peer();
        SeqNum start = peer.nxt;
        peer.nxt = start.plus(p.connection().stats().receiveWindow() + 10);
        peer.data("far");
        TcpRepr ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(start);
        assertThat(p.connection().readable()).isZero();
        assertThat(p.harness().engine.stats().get(TcpCounter.OUT_OF_WINDOW)).isEqualTo(1);
    }

    @Test
    void aDuplicateIsAcknowledgedAtOnce() {
        Opened.Pair p = passive();
        Peer peer = p.peer();
        SeqNum start = peer.nxt;
        peer.data("abc");
        p.harness().expectNothing();
        peer.nxt = start;
        peer.data("abc");
        assertThat(peer.take().header().ack()).isEqualTo(start.plus(3));
        assertThat(p.harness().read(p.connection())).isEqualTo("abc");
    }

    /** RFC 7323 section 5: a segment whose timestamp is older than TS.Recent is a wrapped-around old duplicate. */
    @Test
    void pawsDropsSegmentsWithOldTimestamps() {
        Opened.Pair p = passive();
        Peer peer = p.peer();
        p.harness().advance(Duration.ofMillis(10));
        peer.data("new");
        SeqNum at = peer.nxt;
        TcpRepr old = TcpRepr.of(peer.port, Opened.SERVER_PORT, at, peer.rcvNxt, TcpRepr.ACK, peer.window)
                .withTimestamps(new TcpOption.Timestamps(peer.tsVal() - 5, peer.tsEcr));
        p.harness().receive(old, "old".getBytes());
        TcpRepr ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(at);
        assertThat(p.harness().engine.stats().get(TcpCounter.PAWS_REJECTED)).isEqualTo(1);
        assertThat(p.harness().read(p.connection())).isEqualTo("new");
        // The same segment with a current timestamp is taken.
        p.harness().receive(old.withTimestamps(new TcpOption.Timestamps(peer.tsVal(), peer.tsEcr)), "old".getBytes());
        assertThat(p.harness().read(p.connection())).isEqualTo("old");
    }

    /** A full receive buffer closes the window; reading reopens it with an immediate window update. */
    @Test
    void fullReceiveBufferClosesTheWindowAndReadingReopensIt() {
        Opened.Pair p = passive(TcpConfig.builder().receiveBufferSize(8192).build());
        Peer peer = p.peer();
        for (int i = 0; i < 5; i++) peer.data(text(1448, 'x'));
        peer.data(text(8192 - 5 * 1448, 'y'));
        p.harness().advance(Duration.ofMillis(40));
        while (p.harness().sent.size() > 1) peer.take();
        TcpRepr ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(peer.nxt);
        assertThat(ack.window()).isZero();
        peer.data("no room");
        assertThat(peer.take().header().ack()).as("not taken").isEqualTo(peer.nxt.plus(-7));
        peer.nxt = peer.nxt.plus(-7);
        ByteBuf into = io.netty.buffer.Unpooled.buffer(8192);
        assertThat(p.connection().read(into, p.harness().now)).isEqualTo(8192);
        TcpRepr update = peer.take().header();
        assertThat(update.window() << TcpConfig.builder().receiveBufferSize(8192).build().windowScaleShift())
                .isEqualTo(8192);
    }

    /**
     * RFC 9293 section 3.10.7.4: a closed receive window takes no segment, but still takes a valid ACK. Here the
     * peer sends it at its SND.MAX, past our RCV.NXT; dropping it would leave our data unacknowledged for good.
     */
    @Test
    void aClosedReceiveWindowStillTakesAnAcknowledgmentFromBeyondIt() {
        Opened.Pair p = passive(TcpConfig.builder().receiveBufferSize(8192).build());
        Harness h = p.harness();
        Peer peer = p.peer();
        for (int i = 0; i < 5; i++) peer.data(text(1448, 'x'));
        peer.data(text(8192 - 5 * 1448, 'y'));
        h.advance(Duration.ofMillis(40));
        while (h.sent.size() > 1) peer.take();
        assertThat(peer.take().header().window()).as("closed").isZero();
        h.write(p.connection(), "answer");
        assertThat(peer.take().text()).isEqualTo("answer");
        SeqNum rcvNxt = peer.nxt;
        peer.nxt = peer.nxt.plus(1448); // data of the peer's that we had no room for
        peer.ack();
        peer.nxt = rcvNxt;
        assertThat(p.connection().stats().bytesSent()).isEqualTo(6);
        assertThat(p.connection().stats().receiveWindow()).isZero();
    }

    // ------------------------------------------------------------------------------------------------------ sending

    /** RFC 896: a small segment waits while data is unacknowledged, unless Nagle is off. */
    @Test
    void nagleHoldsSmallSegmentsUntilTheAck() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Connection c = p.connection();
        h.write(c, "a");
        assertThat(p.peer().take().text()).isEqualTo("a");
        h.write(c, "b");
        h.write(c, "c");
        h.expectNothing();
        p.peer().ack();
        assertThat(p.peer().take().text()).isEqualTo("bc");
        c.setNoDelay(true, h.now);
        h.write(c, "d");
        h.write(c, "e");
        assertThat(p.peer().take().text()).isEqualTo("d");
        assertThat(p.peer().take().text()).isEqualTo("e");
    }

    @Test
    void fullSegmentsGoDespiteNagle() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        h.write(p.connection(), "a");
        p.peer().take();
        h.write(p.connection(), text(3000, 'b'));
        assertThat(p.peer().take().length()).isEqualTo(1448);
        assertThat(p.peer().take().length()).isEqualTo(1448);
        h.expectNothing(); // the last 104 octets wait for an ACK
    }

    /** RFC 9293 section 3.8.6.1: a closed window is probed, with backoff, until it opens. */
    @Test
    void zeroWindowIsProbedWithBackoff() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Peer peer = p.peer();
        peer.window = 0;
        peer.ack();
        h.write(p.connection(), "waiting");
        h.expectNothing();
        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            gaps.add(h.fireNextTimer());
            TcpRepr probe = h.next().header();
            assertThat(probe.seq()).as("below SND.UNA, so the peer must answer").isEqualTo(peer.rcvNxt.plus(-1));
            peer.ack(); // still closed
        }
        assertThat(gaps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600));
        assertThat(p.connection().state()).isEqualTo(TcpState.ESTABLISHED);
        peer.window = 1000;
        peer.ack();
        assertThat(peer.take().text()).isEqualTo("waiting");
    }

    /**
     * RFC 9293 section 3.8.6.2.1: when the peer shrinks its window below what we sent, our ACKs go at the window's
     * right edge, where a peer with a closed window accepts them (Linux's {@code tcp_acceptable_seq}), not at
     * SND.MAX.
     */
    @Test
    void acknowledgmentsStayInsideAWindowThePeerShrank() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Peer peer = p.peer();
        h.write(p.connection(), text(2896, 'a'));
        assertThat(peer.take().length()).isEqualTo(1448);
        assertThat(h.next().length()).as("lost on the way").isEqualTo(1448);
        peer.window = 0;
        peer.ack();
        peer.data("x");
        h.advance(Duration.ofMillis(40));
        TcpRepr ack = peer.take().header();
        assertThat(ack.ack()).isEqualTo(peer.nxt);
        assertThat(ack.seq()).as("the peer's RCV.NXT, not our SND.MAX").isEqualTo(peer.rcvNxt);
    }

    /** Without an ACK, data is retransmitted with doubling timeouts, then the connection gives up. */
    @Test
    void retransmissionTimeoutsBackOffThenGiveUp() {
        Opened.Pair p = passive(TcpConfig.builder().dataRetries(3).build());
        Harness h = p.harness();
        Connection c = p.connection();
        h.write(c, "lost");
        TcpRepr first = h.next().header();
        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gaps.add(h.fireNextTimer());
            Harness.Sent again = h.next();
            assertThat(again.header().seq()).isEqualTo(first.seq());
            assertThat(again.text()).isEqualTo("lost");
        }
        assertThat(gaps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
        assertThat(c.stats().retransmits()).isEqualTo(3);
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofMillis(1600));
        assertThat(h.next().header().rst()).isTrue();
        assertThat(c.state()).isEqualTo(TcpState.CLOSED);
        assertThat(c.error()).isEqualTo(TcpError.TIMED_OUT);
        assertThat(h.engine.stats().get(TcpCounter.TIMEOUTS)).isEqualTo(4);
    }

    /** After a timeout the window falls to one segment and everything unacknowledged is sent again (go-back-N). */
    @Test
    void aTimeoutRestartsFromTheFirstUnacknowledgedSegment() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        h.write(p.connection(), text(4 * 1448, 'z'));
        List<TcpRepr> sent = new ArrayList<>();
        while (!h.sent.isEmpty()) sent.add(h.next().header());
        assertThat(sent).hasSize(4);
        h.fireNextTimer();
        assertThat(h.next().header().seq()).isEqualTo(sent.get(0).seq());
        h.expectNothing(); // one segment: the loss window
        assertThat(p.connection().stats().cwnd()).isEqualTo(1448);
        p.peer().absorb(new Harness.Sent(sent.get(0), new byte[1448]));
        p.peer().ack();
        // Slow start again: two segments for the one acknowledged.
        assertThat(h.next().header().seq()).isEqualTo(sent.get(1).seq());
        assertThat(h.next().header().seq()).isEqualTo(sent.get(2).seq());
    }

    /** RFC 6582: three duplicate ACKs retransmit the missing segment at once (no SACK: a peer without it). */
    @Test
    void threeDuplicateAcksRetransmitWithoutSack() {
        Opened.Pair p = Opened.passiveBare(harness(TcpConfig.builder().congestionControl(CongestionAlgorithm.NEW_RENO).build()));
        Harness h = p.harness();
        Peer peer = p.peer();
        h.write(p.connection(), text(10 * 536, 'q'));
        List<Harness.Sent> sent = new ArrayList<>();
        while (!h.sent.isEmpty()) sent.add(h.next());
        assertThat(sent).hasSize(10);
        peer.absorb(sent.get(0)); // segment 2 is lost; 3 to 10 arrive, each answered with a duplicate ACK
        peer.ack();
        h.expectNothing();
        peer.ack();
        peer.ack();
        h.expectNothing();
        peer.ack();
        Harness.Sent retransmitted = h.next();
        assertThat(retransmitted.header().seq()).isEqualTo(sent.get(1).header().seq());
        assertThat(retransmitted.length()).isEqualTo(536);
        assertThat(p.connection().stats().fastRetransmits()).isEqualTo(1);
        assertThat(p.connection().stats().ssthresh()).as("half the flight").isEqualTo(9 * 536 / 2);
        // A partial ACK (up to segment 5, say): NewReno retransmits the next hole at once.
        peer.rcvNxt = sent.get(5).header().seq();
        peer.ack();
        assertThat(h.next().header().seq()).isEqualTo(sent.get(5).header().seq());
    }

    /** RFC 6675: with SACK, only the holes are retransmitted. */
    @Test
    void sackRecoveryRetransmitsOnlyTheHole() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        Peer peer = p.peer();
        h.write(p.connection(), text(10 * 1448, 's'));
        List<Harness.Sent> sent = new ArrayList<>();
        while (!h.sent.isEmpty()) sent.add(h.next());
        assertThat(sent).hasSize(10);
        SeqNum hole = sent.get(2).header().seq();
        peer.absorb(sent.get(0));
        peer.absorb(sent.get(1));
        peer.ack();
        for (int i = 3; i <= 5; i++) {
            SackBlock block = new SackBlock(sent.get(3).header().seq(), sent.get(i).header().seq().plus(1448));
            peer.send(peer.segment(TcpRepr.ACK).withSackBlocks(List.of(block)));
            if (i < 5) h.expectNothing();
        }
        Harness.Sent retransmitted = h.next();
        assertThat(retransmitted.header().seq()).isEqualTo(hole);
        h.expectNothing();
        // More SACKs above the hole: nothing else is lost, so nothing else is sent again.
        for (int i = 6; i <= 9; i++) {
            SackBlock block = new SackBlock(sent.get(3).header().seq(), sent.get(i).header().seq().plus(1448));
            peer.send(peer.segment(TcpRepr.ACK).withSackBlocks(List.of(block)));
        }
        h.expectNothing();
        peer.rcvNxt = sent.get(9).header().seq().plus(1448);
        peer.ack();
        assertThat(p.connection().stats().retransmits()).isEqualTo(1);
        assertThat(p.connection().unacknowledged()).isZero();
    }

    /** The send buffer is bounded: writes take what fits, then nothing until ACKs free room. */
    @Test
    void fullSendBufferPushesBack() {
        Opened.Pair p = passive(TcpConfig.builder().sendBufferSize(4096).build());
        Harness h = p.harness();
        Connection c = p.connection();
        p.peer().window = 0;
        p.peer().ack();
        ByteBuf data = TcpTestBuffers.ascii(text(10_000, 'w'));
        assertThat(c.write(data, h.now)).isEqualTo(4096);
        assertThat(data.readableBytes()).isEqualTo(10_000 - 4096);
        assertThat(c.sendSpace()).isZero();
        assertThat(c.write(data, h.now)).isZero();
        h.changed.clear();
        p.peer().window = 65_535;
        p.peer().ack();
        int sent = 0;
        while (!h.sent.isEmpty()) {
            while (!h.sent.isEmpty()) sent += p.peer().take().length();
            p.peer().ack(); // Nagle holds the short last segment until this
        }
        assertThat(sent).isEqualTo(4096);
        assertThat(c.sendSpace()).isEqualTo(4096);
        assertThat(h.changed).as("the writer is told there is room").contains(c);
    }

    @Test
    void keepaliveProbesAnIdleConnectionAndGivesUp() {
        TcpConfig config = TcpConfig.builder()
                .keepalive(new TcpConfig.Keepalive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3)).build();
        Opened.Pair p = passive(config);
        Harness h = p.harness();
        Connection c = p.connection();
        c.setKeepAlive(true, h.now);
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(10));
        TcpRepr probe = h.next().header();
        assertThat(probe.seq()).isEqualTo(p.peer().rcvNxt.plus(-1));
        p.peer().ack(); // answered: idle again from now
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(10));
        h.next();
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(1));
        h.next();
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(1));
        h.next();
        assertThat(h.fireNextTimer()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.next().header().rst()).isTrue();
        assertThat(c.error()).isEqualTo(TcpError.TIMED_OUT);
    }

    @Test
    void keepaliveIsOffByDefault() {
        Opened.Pair p = passive();
        assertThat(p.harness().engine.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void statisticsFollowTheTransfer() {
        Opened.Pair p = passive();
        Harness h = p.harness();
        h.advance(Duration.ofMillis(5));
        h.write(p.connection(), text(1000, 'r'));
        p.peer().take();
        h.advance(Duration.ofMillis(20));
        p.peer().ack();
        p.peer().data("back");
        ConnectionStats stats = p.connection().stats();
        assertThat(stats.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(stats.bytesSent()).isEqualTo(1000);
        assertThat(stats.bytesReceived()).isEqualTo(4);
        assertThat(stats.smoothedRtt()).isPositive();
        assertThat(stats.rto()).isGreaterThanOrEqualTo(TcpConfig.DEFAULT.minRto());
        assertThat(stats.cwnd()).as("RFC 7661: an application-limited window does not grow").isEqualTo(10 * 1448);
        assertThat(stats.segmentsReceived()).isEqualTo(3); // the handshake's ACK, the ACK, the data
    }
}
