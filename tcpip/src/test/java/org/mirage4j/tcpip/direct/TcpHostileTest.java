package org.mirage4j.tcpip.direct;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.tcp.TcpCounter;
import org.mirage4j.tcpip.tcp.TcpStats;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The TCP input classes of issue 9 (Ripple20, AMNESIA:33, URGENT/11) sent to a direct stack's real TCP engine
 * through its receive path: options of length 0, 1 or past the header, bad SACK blocks, a window scale above 14,
 * an urgent pointer past the data, data on a SYN, SYN+FIN, and resets with bad sequence numbers. Each is dropped or
 * handled as the RFCs say, counted where TCP counts it, escapes as no exception, and the stack still pings and
 * still echoes over a fresh connection afterwards.
 */
class TcpHostileTest {

    private static final int PORT = 80;
    private static final int PEER_ISN = 1_000_000;

    private StackFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new StackFixture().connectAndMeetPeer();
        // Echoes every read back until the peer closes, or the stack aborts the flow as the test ends.
        f.stack.tcp().listen(PORT, flow -> {
            try {
                for (ByteBuf data; (data = flow.read()) != null; ) flow.write(data);
            } catch (SocketException e) {
                // the fixture closed the stack under the flow
            }
        });
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A connection the test opened to the echo port from {@code peerPort}: the numbers the peer goes on with. */
    private record Opened(int peerPort, int nextSeq, int ourAck) {}

    /** A three-way handshake from {@code peerPort}, with {@code synOptions} on the SYN. */
    private Opened open(int peerPort, byte[] synOptions) {
        f.receive(TcpSegments.frame(peerPort, PORT, PEER_ISN, 0, TcpRepr.SYN, 65_535, 0, synOptions, new byte[0]));
        TcpRepr synAck = TcpSegments.read(f.sent()).header();
        assertThat(synAck.syn() && synAck.hasAck()).as("SYN-ACK to " + synAck).isTrue();
        assertThat(synAck.ack().raw()).isEqualTo(PEER_ISN + 1);
        int ourNext = synAck.seq().raw() + 1;
        f.receive(TcpSegments.frame(peerPort, PORT, PEER_ISN + 1, ourNext, TcpRepr.ACK, new byte[0]));
        return new Opened(peerPort, PEER_ISN + 1, ourNext);
    }

    /** Sends {@code text} on {@code c} and waits for the echo; returns the connection's numbers after it. */
    private Opened echo(Opened c, String text) throws InterruptedException {
        byte[] data = text.getBytes(US_ASCII);
        f.receive(TcpSegments.frame(c.peerPort(), PORT, c.nextSeq(), c.ourAck(), TcpRepr.ACK | TcpRepr.PSH, data));
        StringBuilder echoed = new StringBuilder();
        int ourAck = c.ourAck();
        while (echoed.length() < text.length()) {
            TcpSegments.Sent s = TcpSegments.read(f.awaitSent());
            if (s.header().destinationPort() != c.peerPort() || s.data().length == 0) continue;
            echoed.append(new String(s.data(), US_ASCII));
            ourAck = s.header().seq().raw() + s.data().length;
        }
        assertThat(echoed.toString()).isEqualTo(text);
        Opened after = new Opened(c.peerPort(), c.nextSeq() + data.length, ourAck);
        f.receive(TcpSegments.frame(c.peerPort(), PORT, after.nextSeq(), ourAck, TcpRepr.ACK, new byte[0]));
        return after;
    }

    /** What a user notices: the stack still answers a ping, and echoes over a fresh connection. */
    private void assertStackStillServes() throws InterruptedException {
        assertThat(f.stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).as("frames whose handling threw").isZero();
        f.sentAll(); // whatever the hostile segments were answered with
        // The peer asks for our address, as Linux does now and then: the stack answers, and (re)learns the peer's.
        f.receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP))));
        assertThat(f.sent().arp().operation()).isEqualTo(ArpOperation.REPLY);
        byte[] ping = Frames.icmp(new Icmpv4Repr.EchoRequest(9, 9, Octets.of(new byte[8])));
        f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.ICMP, ping.length, 77), ping));
        assertThat(f.sent().icmp()).isEqualTo(new Icmpv4Repr.EchoReply(9, 9, Octets.of(new byte[8])));
        echo(open(50_000, new byte[0]), "still here");
    }

    private TcpStats tcp() {
        return f.stack.tcpStats();
    }

    @Test
    void optionsOfLengthZeroOrOneOrPastTheHeaderAreMalformedAndUnanswered() throws Exception {
        List<byte[]> bad = List.of(
                new byte[] {2, 0, 5, (byte) 0xb4},        // MSS with length 0: a parser that trusts it loops forever
                new byte[] {8, 1, 0, 0},                  // timestamps with length 1
                new byte[] {1, 1, 1, 3},                  // window scale whose length octet lies past the header
                new byte[] {2, 40, 5, (byte) 0xb4},       // MSS claiming 40 octets in a 4-octet option space
                new byte[] {5, 34, 0, 0, 0, 1, 0, 0, 0, 2}); // SACK claiming 4 blocks, holding 1
        long before = tcp().get(TcpCounter.MALFORMED);
        for (byte[] options : bad) {
            f.receive(TcpSegments.frame(40_000, PORT, PEER_ISN, 0, TcpRepr.SYN, 65_535, 0, options, new byte[0]));
        }
        f.assertNothingSent();
        assertThat(tcp().get(TcpCounter.MALFORMED) - before).isEqualTo(bad.size());
        assertThat(tcp().get(TcpCounter.BAD_CHECKSUM)).as("the test's checksums").isZero();
        assertThat(tcp().get(TcpCounter.PASSIVE_OPENS)).isZero();
        assertStackStillServes();
    }

    @Test
    void badSackBlocksOnAnOpenConnectionChangeNothingVisible() throws Exception {
        byte[] sackPermitted = {4, 2, 1, 1};
        Opened c = echo(open(40_001, sackPermitted), "hello");
        int una = c.ourAck();
        int[][] blocks = {
                {una + 100, una},              // left edge after the right edge
                {una - 5000, una - 4000},      // below SND.UNA: data long acknowledged
                {una, una + 1_000_000},        // beyond anything sent
                {una + 10, una + 10},          // empty
                {0x7FFF_FFFF, 0x8000_0001},    // across the sign boundary, nowhere near the window
        };
        for (int[] block : blocks) {
            byte[] options = {1, 1, 5, 10, (byte) (block[0] >>> 24), (byte) (block[0] >>> 16), (byte) (block[0] >>> 8),
                    (byte) block[0], (byte) (block[1] >>> 24), (byte) (block[1] >>> 16), (byte) (block[1] >>> 8), (byte) block[1]};
            f.receive(TcpSegments.frame(c.peerPort(), PORT, c.nextSeq(), una, TcpRepr.ACK, 65_535, 0, options, new byte[0]));
        }
        f.advance(Duration.ofSeconds(5)); // any retransmission the blocks could have provoked
        assertThat(tcp().get(TcpCounter.RETRANSMITS)).as("data the peer already acknowledged is not resent").isZero();
        echo(c, "after the blocks");
        assertStackStillServes();
    }

    @Test
    void aWindowScaleAbove14OpensAWorkingConnection() throws Exception {
        // Shift 200, then a NOP: RFC 7323 section 2.3 says use 14; a shift taken as is would overflow the window.
        Opened c = open(40_002, new byte[] {3, 3, (byte) 200, 1});
        echo(c, "scaled");
        assertThat(tcp().get(TcpCounter.ESTABLISHED)).isEqualTo(1);
        assertStackStillServes();
    }

    @Test
    void anUrgentPointerPastTheDataIsIgnoredAndTheDataArrivesInline() throws Exception {
        Opened c = echo(open(40_003, new byte[0]), "a");
        f.receive(TcpSegments.frame(c.peerPort(), PORT, c.nextSeq(), c.ourAck(), TcpRepr.ACK | TcpRepr.PSH | TcpRepr.URG,
                65_535, 65_535, new byte[0], "urgent".getBytes(US_ASCII)));
        StringBuilder echoed = new StringBuilder();
        while (echoed.length() < "urgent".length()) {
            TcpSegments.Sent s = TcpSegments.read(f.awaitSent());
            echoed.append(new String(s.data(), US_ASCII));
        }
        assertThat(echoed.toString()).isEqualTo("urgent");
        assertStackStillServes();
    }

    @Test
    void dataOnASynIsNotDeliveredBeforeTheHandshakeCompletes() throws Exception {
        f.receive(TcpSegments.frame(40_004, PORT, PEER_ISN, 0, TcpRepr.SYN, "early".getBytes(US_ASCII)));
        TcpRepr synAck = TcpSegments.read(f.sent()).header();
        assertThat(synAck.syn() && synAck.hasAck()).isTrue();
        assertThat(synAck.ack().raw()).as("the SYN is acknowledged, its data not (yet)").isEqualTo(PEER_ISN + 1);
        f.receive(TcpSegments.frame(40_004, PORT, PEER_ISN + 1, synAck.seq().raw() + 1, TcpRepr.ACK, new byte[0]));
        // The peer sends the data again, as it must: the echo gives it back once, not twice.
        Opened c = echo(new Opened(40_004, PEER_ISN + 1, synAck.seq().raw() + 1), "early");
        echo(c, "late");
        assertStackStillServes();
    }

    @Test
    void synWithFinOpensNoConnectionThatCouldBeAbused() throws Exception {
        f.receive(TcpSegments.frame(40_005, PORT, PEER_ISN, 0, TcpRepr.SYN | TcpRepr.FIN, new byte[0]));
        f.receive(TcpSegments.frame(40_006, PORT, PEER_ISN, 0, TcpRepr.SYN | TcpRepr.FIN | TcpRepr.RST | TcpRepr.PSH | TcpRepr.URG,
                new byte[0]));
        f.receive(TcpSegments.frame(40_007, 81, PEER_ISN, 0, TcpRepr.SYN | TcpRepr.FIN, new byte[0])); // closed port
        List<TcpRepr> answers = new ArrayList<>();
        for (Frames.Sent s : f.sentAll()) answers.add(TcpSegments.read(s).header());
        // Whatever the answer (a SYN-ACK that ignores the FIN, or nothing), no connection ever gets to ESTABLISHED.
        assertThat(answers).allSatisfy(a -> assertThat(a.fin()).as("a FIN of ours in " + a).isFalse());
        for (int s = 0; s < 200; s++) f.advance(Duration.ofSeconds(1)); // SYN-ACK retries give up: nothing half-open stays
        assertThat(tcp().get(TcpCounter.ESTABLISHED)).isZero();
        assertThat(tcp().connections()).isZero();
        assertStackStillServes();
    }

    @Test
    void resetsWithBadSequenceNumbersDoNotEndTheConnection() throws Exception {
        Opened c = echo(open(40_008, new byte[0]), "before");
        f.receive(TcpSegments.frame(c.peerPort(), PORT, c.nextSeq() + 10_000_000, 0, TcpRepr.RST, new byte[0])); // far out
        f.receive(TcpSegments.frame(c.peerPort(), PORT, c.nextSeq() - 10_000_000, 0, TcpRepr.RST, new byte[0]));
        f.receive(TcpSegments.frame(c.peerPort(), PORT, c.nextSeq() + 1, 0, TcpRepr.RST, new byte[0])); // in window, not exact
        TcpRepr challenge = TcpSegments.read(f.sent()).header();
        assertThat(challenge.hasAck() && !challenge.rst()).as("a challenge ACK (RFC 5961 section 3.2)").isTrue();
        assertThat(challenge.ack().raw()).isEqualTo(c.nextSeq());
        assertThat(tcp().get(TcpCounter.CHALLENGE_ACKS)).isEqualTo(1);
        assertThat(tcp().get(TcpCounter.RESETS_RECEIVED)).isZero();
        echo(c, "after");
        assertStackStillServes();
    }
}
