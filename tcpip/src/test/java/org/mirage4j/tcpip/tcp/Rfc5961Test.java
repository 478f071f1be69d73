package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * RFC 5961's defences against blind in-window attacks, in every synchronized state: a reset must hit RCV.NXT
 * exactly, anything else in the window gets a challenge ACK; a SYN always gets one; an ACK of data never sent or
 * older than a window is challenged and dropped.
 */
class Rfc5961Test extends EngineTest {

    private Opened.Pair in(TcpState state) {
        Opened.Pair p = passive();
        States.enter(p, state);
        return p;
    }

    /** A challenge ACK: <SEQ=SND.MAX><ACK=RCV.NXT><CTL=ACK>, nothing else. */
    private static void expectChallengeAck(Opened.Pair p) {
        TcpRepr ack = p.harness().next().header();
        assertThat(ack.flags()).isEqualTo(TcpRepr.ACK);
        assertThat(ack.ack()).isEqualTo(p.peer().nxt);
        assertThat(ack.seq()).isEqualTo(p.peer().rcvNxt);
        p.harness().expectNothing();
    }

    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT"})
    void resetAtRcvNxtResetsTheConnection(TcpState state) {
        Opened.Pair p = in(state);
        p.peer().send(p.peer().segment(TcpRepr.RST));
        assertThat(p.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(p.connection().error()).isEqualTo(TcpError.RESET);
        assertThat(p.harness().changed).contains(p.connection());
        p.harness().expectNothing();
        assertThat(p.harness().engine.stats().connections()).isZero();
        assertThat(p.harness().read(p.connection())).as("reading ends").isNull();
    }

    /** RFC 9293 section 3.10.7.4: in CLOSING, LAST-ACK and TIME-WAIT a reset just ends the connection. */
    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"CLOSING", "LAST_ACK", "TIME_WAIT"})
    void resetAtRcvNxtEndsAClosingConnectionQuietly(TcpState state) {
        Opened.Pair p = in(state);
        p.peer().send(p.peer().segment(TcpRepr.RST));
        assertThat(p.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(p.connection().error()).isNull();
        assertThat(p.harness().engine.stats().connections()).isZero();
        p.harness().expectNothing();
    }

    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
            "LAST_ACK", "TIME_WAIT"})
    void resetInTheWindowButNotExactGetsAChallengeAck(TcpState state) {
        Opened.Pair p = in(state);
        p.peer().send(TcpRepr.of(p.peer().port, Opened.SERVER_PORT, p.peer().nxt.plus(100), SeqNum.ZERO, TcpRepr.RST, 0));
        assertThat(p.connection().state()).isEqualTo(state);
        expectChallengeAck(p);
        assertThat(p.harness().engine.stats().get(TcpCounter.CHALLENGE_ACKS)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
            "LAST_ACK", "TIME_WAIT"})
    void resetOutOfTheWindowIsDroppedSilently(TcpState state) {
        Opened.Pair p = in(state);
        for (int offset : new int[] {-1, -100_000, 300_000, 1 << 30}) {
            p.peer().send(TcpRepr.of(p.peer().port, Opened.SERVER_PORT, p.peer().nxt.plus(offset), SeqNum.ZERO,
                    TcpRepr.RST, 0));
        }
        assertThat(p.connection().state()).isEqualTo(state);
        p.harness().expectNothing();
    }

    /** RFC 5961 section 4.2: a SYN in a synchronized state, whatever its sequence number, gets a challenge ACK. */
    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
            "LAST_ACK", "TIME_WAIT"})
    void synGetsAChallengeAck(TcpState state) {
        Opened.Pair p = in(state);
        // Without timestamps and not beyond RCV.NXT, so that TIME-WAIT does not take it for a new connection.
        TcpRepr syn = TcpRepr.of(p.peer().port, Opened.SERVER_PORT, p.peer().nxt.plus(-1), SeqNum.ZERO, TcpRepr.SYN, 1000);
        p.peer().send(syn);
        assertThat(p.connection().state()).isEqualTo(state);
        expectChallengeAck(p);
        if (state != TcpState.TIME_WAIT) { // where a SYN beyond RCV.NXT may open a new connection (RFC 6191)
            // Far out of the window: acknowledged as any unacceptable segment is.
            p.peer().send(TcpRepr.of(p.peer().port, Opened.SERVER_PORT, p.peer().nxt.plus(1 << 30), SeqNum.ZERO,
                    TcpRepr.SYN, 1000));
            expectChallengeAck(p);
            assertThat(p.connection().state()).isEqualTo(state);
        }
    }

    @Test
    void synInTheWindowGetsAChallengeAckNotAReset() {
        Opened.Pair p = in(TcpState.ESTABLISHED);
        p.harness().receive(p.peer().segment(TcpRepr.SYN).withFlags(TcpRepr.SYN)); // at RCV.NXT exactly
        expectChallengeAck(p);
        assertThat(p.connection().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(p.harness().engine.stats().get(TcpCounter.CHALLENGE_ACKS)).isEqualTo(1);
    }

    /** RFC 5961 section 5.2: an ACK of data never sent is challenged, and the segment's data dropped. */
    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2"})
    void ackOfUnsentDataIsChallenged(TcpState state) {
        Opened.Pair p = in(state);
        TcpRepr seg = p.peer().segment(TcpRepr.ACK | TcpRepr.PSH);
        p.harness().receive(TcpRepr.of(seg.sourcePort(), seg.destinationPort(), seg.seq(), p.peer().rcvNxt.plus(1000),
                seg.flags(), seg.window()).withTimestamps(seg.timestamps()), "data".getBytes());
        expectChallengeAck(p);
        assertThat(p.connection().readable()).isZero();
    }

    @Test
    void ackOlderThanAWindowIsChallenged() {
        Opened.Pair p = in(TcpState.ESTABLISHED);
        Connection c = p.connection();
        int maxWindow = c.stats().sendWindow(); // the largest the peer offered
        TcpRepr seg = p.peer().segment(TcpRepr.ACK | TcpRepr.PSH);
        p.harness().receive(TcpRepr.of(seg.sourcePort(), seg.destinationPort(), seg.seq(),
                p.peer().rcvNxt.plus(-maxWindow - 10), seg.flags(), seg.window()).withTimestamps(seg.timestamps()),
                "data".getBytes());
        expectChallengeAck(p);
        assertThat(c.readable()).isZero();
        // An old ACK within a window is merely a duplicate: its data is taken.
        p.harness().receive(TcpRepr.of(seg.sourcePort(), seg.destinationPort(), seg.seq(), p.peer().rcvNxt.plus(-10),
                seg.flags(), seg.window()).withTimestamps(seg.timestamps()), "data".getBytes());
        assertThat(c.readable()).isEqualTo(4);
    }

    /** RFC 5961 section 7: challenge ACKs are rate-limited, over all connections. */
    @Test
    void challengeAcksAreRateLimited() {
        Opened.Pair p = passive(TcpConfig.builder().challengeAckLimit(2).build());
        TcpRepr rst = TcpRepr.of(p.peer().port, Opened.SERVER_PORT, p.peer().nxt.plus(100), SeqNum.ZERO, TcpRepr.RST, 0);
        for (int i = 0; i < 5; i++) p.peer().send(rst);
        assertThat(p.harness().sent).hasSize(2);
        p.harness().sent.clear();
        assertThat(p.harness().engine.stats().get(TcpCounter.CHALLENGE_ACKS_SUPPRESSED)).isEqualTo(3);
        p.harness().advance(Duration.ofSeconds(1));
        p.peer().send(rst);
        assertThat(p.harness().sent).hasSize(1);
        p.harness().sent.clear();
        assertThat(p.connection().state()).isEqualTo(TcpState.ESTABLISHED);
    }
}
