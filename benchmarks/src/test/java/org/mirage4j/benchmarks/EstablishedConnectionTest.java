package org.mirage4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Flow;
import org.mirage4j.tcpip.direct.DirectFlow;
import org.mirage4j.tcpip.tcp.ConnectionStats;
import org.mirage4j.tcpip.tcp.TcpCounter;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.Ipv4Packet;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * What the per-packet benchmarks stand on: the peer's patched frames are valid TCP, and the loops the benchmarks time
 * move every byte through the stack (a benchmark whose segments were dropped would time nothing).
 */
class EstablishedConnectionTest {

    private static final int SEGMENTS = 2_000;

    @Test
    void patchedFramesCarryTheAskedNumbersAndValidChecksums() {
        TcpPeer peer = new TcpPeer(40_000, 5001);
        SplittableRandom random = new SplittableRandom(3);
        try {
            for (int i = 0; i < 200; i++) {
                int ack = random.nextInt();
                ByteBuf frame = i % 2 == 0 ? peer.ack(ack) : peer.data();
                try {
                    TcpRepr tcp = parse(frame);
                    if (i % 2 == 0) assertThat(tcp.ack().raw()).isEqualTo(ack);
                    assertThat(tcp.hasAck()).isTrue();
                } finally {
                    frame.release();
                }
            }
        } finally {
            peer.close();
        }
    }

    @Test
    void everyReceivedSegmentReachesTheFlow() throws Exception {
        try (EstablishedConnection connection = new EstablishedConnection()) {
            Flow flow = connection.flow();
            long read = 0;
            for (int i = 0; i < SEGMENTS; i++) {
                connection.awaitWindow();
                connection.link.deliver(connection.peer.data());
                ByteBuf data = flow.read();
                read += data.readableBytes();
                data.release();
            }
            assertThat(read).isEqualTo((long) SEGMENTS * TcpPeer.MSS);
            assertThat(connection.stack.stats().totalDropped()).isZero();
            assertThat(connection.peer.stackSegments()).as("ACKs, one per two segments").isGreaterThanOrEqualTo(SEGMENTS / 2);
        }
    }

    @Test
    void everyWrittenSegmentIsSentOnceAndAcknowledged() throws Exception {
        try (EstablishedConnection connection = new EstablishedConnection()) {
            Flow flow = connection.flow();
            for (int i = 0; i < SEGMENTS; i++) {
                flow.write(PooledByteBufAllocator.DEFAULT.directBuffer(TcpPeer.MSS).writeZero(TcpPeer.MSS));
                connection.link.deliver(connection.peer.ack(connection.peer.stackSeqNext()));
            }
            ConnectionStats stats = ((DirectFlow) flow).stats();
            assertThat(stats.bytesSent()).isEqualTo((long) SEGMENTS * TcpPeer.MSS);
            assertThat(stats.retransmits()).isZero();
            assertThat(connection.stack.tcpStats().get(TcpCounter.ESTABLISHED)).isEqualTo(1);
        }
    }

    private static TcpRepr parse(ByteBuf frame) {
        EthernetFrame ethernet = new EthernetFrame();
        assertThat(ethernet.wrap(frame)).isNull();
        Ipv4Packet ip = new Ipv4Packet();
        assertThat(ip.wrap(frame, ethernet.payloadIndex(), ethernet.payloadLength())).isNull();
        Ipv4Repr ipv4 = Ipv4Repr.parse(ip).valueOrNull();
        assertThat(ipv4).as("a valid IPv4 header").isNotNull();
        TcpPacket tcp = new TcpPacket();
        assertThat(tcp.wrap(frame, ip.payloadIndex(), ip.payloadLength())).isNull();
        Parsed<TcpRepr> parsed = TcpRepr.parse(tcp, ipv4.source(), ipv4.destination());
        assertThat(parsed.reasonOrNull()).as("why the segment was rejected").isNull();
        return parsed.valueOrNull();
    }
}
