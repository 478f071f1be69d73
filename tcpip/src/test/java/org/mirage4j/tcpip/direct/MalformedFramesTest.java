package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * 100 000 random and damaged frames (4 tries of 25 000) into the receive path: nothing escapes, nothing leaks (the
 * leak check runs), the drop counters move, and the stack still answers a ping afterwards.
 */
class MalformedFramesTest {

    private static final int FRAMES_PER_TRY = 25_000;

    /** Real frames of every kind the stack handles, for {@link Gen#mutate} to damage. */
    private static List<byte[]> realFrames() {
        byte[] udpToListener = Frames.udp(PEER_IP, OUR_IP, 40000, 7, new byte[] {1, 2, 3, 4});
        byte[] udpToClosed = Frames.udp(PEER_IP, OUR_IP, 40000, 9, new byte[] {5, 6});
        byte[] echo = Frames.icmp(new Icmpv4Repr.EchoRequest(1, 2, Octets.of(new byte[24])));
        return List.of(
                Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                        Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP))),
                Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.ARP,
                        Frames.arp(new ArpRepr(ArpOperation.REPLY, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP))),
                Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.ICMP, echo.length, 1), echo),
                Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udpToListener.length, 2), udpToListener),
                Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udpToClosed.length, 3), udpToClosed),
                Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.fragment(PEER_IP, OUR_IP, IpProtocol.UDP, 4, 0, 16, true), new byte[16]),
                Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.fragment(PEER_IP, OUR_IP, IpProtocol.UDP, 4, 16, 12, false), new byte[12]),
                Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.TCP, 20, 5), new byte[20]),
                Frames.ethernet(PEER_MAC, OUR_MAC, EtherType.IPV6, new byte[48]));
    }

    @Property(tries = 4)
    void randomAndDamagedFramesAreCountedAndDroppedAndPingStillWorks(Gen gen) throws Exception {
        List<byte[]> real = realFrames();
        try (StackFixture f = new StackFixture().connect()) {
            f.stack.udp().listen(7, d -> d.payload().release());
            for (int i = 0; i < FRAMES_PER_TRY; i++) {
                byte[] frame = gen.intBetween(0, 9) == 0 ? gen.bytes(0, 1514) : gen.mutate(gen.oneOf(real));
                f.receive(frame);
                if (i % 100 == 99) {
                    f.advance(Duration.ofSeconds(1)); // lets ARP give up on made-up neighbours, and reassembly time out
                    for (ByteBuf sent; (sent = f.link.poll()) != null; ) sent.release();
                }
            }
            f.advance(Duration.ofSeconds(60));
            f.sentAll();

            DirectStats stats = f.stack.stats();
            assertThat(stats.stack().dropped(DropReason.INTERNAL_ERROR)).as("frames whose handling threw").isZero();
            assertThat(stats.ethernet().totalDropped()).isPositive();
            assertThat(stats.ipv4().totalDropped()).isPositive();
            assertThat(stats.arp().totalDropped()).isPositive();
            assertThat(stats.totalDropped()).isGreaterThan(FRAMES_PER_TRY / 10);
            assertThat(((DirectIpv4) f.stack.ipv4()).reassembling()).isZero();

            f.receive(real.getFirst()); // the peer asks who we are: we answer, and learn its address again
            assertThat(f.sent().arp().operation()).isEqualTo(ArpOperation.REPLY);
            f.receive(real.get(2));
            Frames.Sent reply = f.sent();
            assertThat(reply.ethernet().destination()).isEqualTo(PEER_MAC);
            assertThat(reply.icmp()).isEqualTo(new Icmpv4Repr.EchoReply(1, 2, Octets.of(new byte[24])));
        }
    }
}
