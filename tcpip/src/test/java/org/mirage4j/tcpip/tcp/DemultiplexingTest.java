package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.TrackedHeapAllocator;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpRepr;

/** The engine's own work: resets for segments to nothing, listeners, backlogs and SYN cookies, bad input. */
class DemultiplexingTest extends EngineTest {

    private final Harness h = harness();

    /** RFC 9293 section 3.10.7.1: an ACK to a closed port gets <SEQ=SEG.ACK><CTL=RST>. */
    @Test
    void ackToAClosedPortGetsAReset() {
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), new SeqNum(5000), TcpRepr.ACK, 1000));
        TcpRepr rst = h.next().header();
        assertThat(rst.flags()).isEqualTo(TcpRepr.RST);
        assertThat(rst.seq()).isEqualTo(new SeqNum(5000));
        assertThat(rst.sourcePort()).isEqualTo(80);
        assertThat(rst.destinationPort()).isEqualTo(1234);
        assertThat(h.engine.stats().get(TcpCounter.NO_CONNECTION)).isEqualTo(1);
    }

    /** ... and a segment without ACK gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN and FIN counted. */
    @Test
    void synToAClosedPortGetsAResetAcknowledgingIt() {
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), SeqNum.ZERO, TcpRepr.SYN, 1000));
        TcpRepr rst = h.next().header();
        assertThat(rst.flags()).isEqualTo(TcpRepr.RST | TcpRepr.ACK);
        assertThat(rst.seq()).isEqualTo(SeqNum.ZERO);
        assertThat(rst.ack()).isEqualTo(new SeqNum(101));
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), SeqNum.ZERO, TcpRepr.FIN, 1000), "abc".getBytes());
        assertThat(h.next().header().ack()).isEqualTo(new SeqNum(104));
    }

    @Test
    void resetToAClosedPortIsNotAnswered() {
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), SeqNum.ZERO, TcpRepr.RST, 0));
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), new SeqNum(7), TcpRepr.RST | TcpRepr.ACK, 0));
        h.expectNothing();
    }

    /** RFC 9293 section 3.10.7.2: an ACK to a listener gets a reset; a reset is ignored; other segments dropped. */
    @Test
    void listenerResetsAcksAndIgnoresTheRest() {
        h.engine.listen(80);
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), new SeqNum(5000), TcpRepr.ACK, 1000));
        assertThat(h.next().header().seq()).isEqualTo(new SeqNum(5000));
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), SeqNum.ZERO, TcpRepr.RST, 0));
        h.receive(TcpRepr.of(1234, 80, new SeqNum(100), SeqNum.ZERO, TcpRepr.FIN, 0));
        h.expectNothing();
        assertThat(h.engine.stats().connections()).isZero();
    }

    /** RFC 4987 section 3.6: a full backlog answers with a SYN cookie; its ACK opens the connection. */
    @Test
    void fullBacklogAnswersWithSynCookies() {
        Listener listener = h.engine.listen(80, 1);
        Peer first = new Peer(h, 40_001, 80, new SeqNum(1000));
        first.send(first.linuxSyn());
        assertThat(first.take().header().windowScale()).isNotNegative();
        assertThat(listener.opening()).isEqualTo(1);

        Peer second = new Peer(h, 40_002, 80, new SeqNum(2000));
        second.send(second.linuxSyn());
        TcpRepr cookie = second.take().header();
        assertThat(cookie.flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        assertThat(cookie.maxSegmentSize()).isEqualTo(1460);
        assertThat(cookie.windowScale()).as("a cookie cannot carry the options").isEqualTo(-1);
        assertThat(cookie.sackPermitted()).isFalse();
        assertThat(cookie.timestamps()).isNull();
        assertThat(h.engine.stats().connections()).as("no state kept").isEqualTo(1);
        assertThat(h.engine.stats().get(TcpCounter.SYN_COOKIES_SENT)).isEqualTo(1);

        second.timestamps = false;
        second.data("hello");
        assertThat(h.engine.stats().get(TcpCounter.SYN_COOKIES_ACCEPTED)).isEqualTo(1);
        first.ack(); // the first connection completes too; the accept queue holds both
        Connection c = listener.accept();
        Connection d = listener.accept();
        Connection cookieConnection = c.tuple().remotePort() == 40_002 ? c : d;
        assertThat(cookieConnection.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(cookieConnection.stats().sendMss()).isEqualTo(1460);
        assertThat(h.read(cookieConnection)).isEqualTo("hello");
        h.write(cookieConnection, "world");
        Harness.Sent reply = second.take();
        assertThat(reply.text()).isEqualTo("world");
        assertThat(reply.header().seq()).isEqualTo(cookie.seq().plus(1));
    }

    /**
     * The peer's SYN, resent while our cookie SYN-ACK was on its way, found room in the backlog and opened a
     * half-open connection; the peer's ACK of the cookie still opens the connection, and nobody is reset.
     */
    @Test
    void theCookieThePeerAcknowledgedWinsOverTheHalfOpenConnectionOfItsResentSyn() {
        Listener listener = h.engine.listen(80, 1);
        Peer first = new Peer(h, 40_001, 80, new SeqNum(1000));
        first.send(first.linuxSyn());
        first.take();
        Peer second = new Peer(h, 40_002, 80, new SeqNum(2000));
        TcpRepr syn = second.linuxSyn();
        second.send(syn);
        TcpRepr cookie = second.take().header();
        first.send(first.segment(TcpRepr.RST)); // the first peer gives up: the backlog has room again
        second.send(syn); // resent
        TcpRepr synAck = h.next().header();
        assertThat(synAck.seq()).as("a half-open connection's own SYN-ACK").isNotEqualTo(cookie.seq());
        assertThat(listener.opening()).isEqualTo(1);

        second.timestamps = false;
        second.data("hello"); // acknowledges the cookie, which the peer took first

        assertThat(h.sent).noneMatch(s -> s.header().rst());
        assertThat(h.engine.stats().get(TcpCounter.SYN_COOKIES_PREFERRED)).isEqualTo(1);
        assertThat(listener.opening()).isZero();
        Connection c = listener.accept();
        assertThat(c.tuple().remotePort()).isEqualTo(40_002);
        assertThat(h.read(c)).isEqualTo("hello");
        assertThat(h.engine.stats().connections()).isEqualTo(1);
    }

    @Test
    void forgedCookieGetsAReset() {
        h.engine.listen(80, 1);
        Peer first = new Peer(h, 40_001, 80, new SeqNum(1000));
        first.send(first.linuxSyn());
        first.take();
        Peer second = new Peer(h, 40_002, 80, new SeqNum(2000));
        second.send(second.linuxSyn());
        TcpRepr cookie = second.take().header();
        second.rcvNxt = cookie.seq().plus(2); // not what the cookie acknowledges
        second.timestamps = false;
        second.ack();
        TcpRepr rst = h.next().header();
        assertThat(rst.rst()).isTrue();
        assertThat(h.engine.stats().get(TcpCounter.SYN_COOKIES_REJECTED)).isEqualTo(1);
        assertThat(h.engine.stats().connections()).isEqualTo(1);
    }

    @Test
    void withoutCookiesAFullBacklogDropsSyns() {
        Harness h = harness(TcpConfig.builder().synCookies(false).build());
        h.engine.listen(80, 1);
        Peer first = new Peer(h, 40_001, 80, new SeqNum(1000));
        first.send(first.linuxSyn());
        first.take();
        Peer second = new Peer(h, 40_002, 80, new SeqNum(2000));
        second.send(second.linuxSyn());
        h.expectNothing();
        assertThat(h.engine.stats().get(TcpCounter.LISTEN_OVERFLOWS)).isEqualTo(1);
    }

    @Test
    void unlistenResetsWhatNobodyAccepted() {
        Listener listener = h.engine.listen(80);
        Peer waiting = new Peer(h, 40_001, 80, new SeqNum(1000));
        waiting.send(waiting.linuxSyn());
        waiting.take();
        waiting.ack();
        Peer opening = new Peer(h, 40_002, 80, new SeqNum(2000));
        opening.send(opening.linuxSyn());
        opening.take();
        h.engine.unlisten(80, h.now);
        assertThat(listener.isClosed()).isTrue();
        assertThat(h.next().header().rst()).isTrue();
        assertThat(h.next().header().rst()).isTrue();
        assertThat(h.engine.stats().connections()).isZero();
        assertThat(h.engine.stats().listeners()).isZero();
        h.receive(TcpRepr.of(40_003, 80, new SeqNum(1), SeqNum.ZERO, TcpRepr.SYN, 1000));
        assertThat(h.next().header().rst()).as("nothing listens any more").isTrue();
    }

    @Test
    void listeningTwiceOrOnPortZeroIsAnError() {
        h.engine.listen(80);
        assertThatThrownBy(() -> h.engine.listen(80)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("port 80 is listened on already");
        assertThatThrownBy(() -> h.engine.listen(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.engine.listen(81, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.engine.connect(Harness.LOCAL, Harness.REMOTE, 70_000, h.now))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectingTheSameFourTupleTwiceIsAnError() {
        FourTuple tuple = new FourTuple(Harness.LOCAL, 5000, Harness.REMOTE, 80);
        h.engine.connect(tuple, h.now);
        assertThatThrownBy(() -> h.engine.connect(tuple, h.now)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ephemeralPortsDifferPerConnection() {
        Connection a = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 80, h.now);
        Connection b = h.engine.connect(Harness.LOCAL, Harness.REMOTE, 80, h.now);
        assertThat(a.tuple().localPort()).isNotEqualTo(b.tuple().localPort());
        assertThat(h.engine.stats().get(TcpCounter.ACTIVE_OPENS)).isEqualTo(2);
    }

    /** RFC 6528: ISNs differ per four-tuple and, for one tuple, move on with time. */
    @Test
    void initialSequenceNumbersDifferAndIncrease() {
        Connection a = h.engine.connect(new FourTuple(Harness.LOCAL, 5000, Harness.REMOTE, 80), h.now);
        SeqNum isnA = h.next().header().seq();
        h.engine.connect(new FourTuple(Harness.LOCAL, 5001, Harness.REMOTE, 80), h.now);
        SeqNum isnB = h.next().header().seq();
        assertThat(isnA).isNotEqualTo(isnB);
        a.abort(h.now);
        h.sent.clear();
        h.advance(java.time.Duration.ofMillis(1));
        h.engine.connect(new FourTuple(Harness.LOCAL, 5000, Harness.REMOTE, 80), h.now);
        assertThat(h.next().header().seq()).isEqualTo(isnA.plus(250)); // 1 ms of 4-microsecond ticks
    }

    @Test
    void malformedSegmentsAreCountedAndDropped() {
        ByteBuf truncated = TrackedHeapAllocator.INSTANCE.heapBuffer().writeZero(10);
        ByteBuf badChecksum = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            h.engine.input(Harness.REMOTE, Harness.LOCAL, truncated, h.now);
            TcpRepr.of(1, 80, SeqNum.ZERO, SeqNum.ZERO, TcpRepr.SYN, 0)
                    .emit(badChecksum, Harness.REMOTE, Harness.LOCAL, io.netty.buffer.Unpooled.EMPTY_BUFFER);
            badChecksum.setByte(5, badChecksum.getByte(5) ^ 1);
            h.engine.input(Harness.REMOTE, Harness.LOCAL, badChecksum, h.now);
        } finally {
            truncated.release();
            badChecksum.release();
        }
        h.receive(TcpRepr.of(0, 80, SeqNum.ZERO, SeqNum.ZERO, TcpRepr.SYN, 0));
        h.expectNothing();
        assertThat(h.engine.stats().get(TcpCounter.MALFORMED)).isEqualTo(2);
        assertThat(h.engine.stats().get(TcpCounter.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(h.engine.stats().get(TcpCounter.SEGMENTS_RECEIVED)).isEqualTo(3);
    }
}
