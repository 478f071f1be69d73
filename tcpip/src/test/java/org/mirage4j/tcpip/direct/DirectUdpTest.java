package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv6Address;
import org.mirage4j.api.net.Udp;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/** UDP through the stack's {@link Udp}: listeners on virtual threads, echoes byte for byte, and the bounds. */
class DirectUdpTest {

    private static byte[] datagramFrame(int sourcePort, int destinationPort, byte[] data, int id) {
        byte[] udp = Frames.udp(PEER_IP, OUR_IP, sourcePort, destinationPort, data);
        return Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, id), udp);
    }

    /** Echoes every datagram on {@code port} back to its sender, from the port. */
    private static void echo(Udp udp, int port) throws Exception {
        udp.listen(port, d -> udp.write(port, d.source(), d.sourcePort(), d.payload()));
    }

    @Property(tries = 30)
    void echoesDatagramsByteForByte(Gen gen) throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            echo(f.stack.udp(), 7);
            for (int i = 0; i < 5; i++) {
                byte[] data = gen.bytes(0, 1472);
                int sourcePort = gen.intBetween(1, 65_535);
                f.receive(datagramFrame(sourcePort, 7, data, i));

                Frames.Sent reply = f.awaitSent();
                assertThat(reply.ethernet().destination()).isEqualTo(PEER_MAC);
                assertThat(reply.ipv4().destination()).isEqualTo(PEER_IP);
                assertThat(reply.udp()).usingRecursiveComparison().isEqualTo(new Frames.Udp(7, sourcePort, data));
            }
        }
    }

    @Test
    void echoesA30000ByteDatagramThatArrivesAndLeavesInFragments() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            echo(f.stack.udp(), 7);
            byte[] data = DirectIpv4Test.pattern(30_000);
            byte[] udp = Frames.udp(PEER_IP, OUR_IP, 40000, 7, data);
            List<Integer> offsets = new ArrayList<>();
            for (int offset = 0; offset < udp.length; offset += 1480) offsets.add(offset);
            Collections.shuffle(offsets, new java.util.Random(7));
            for (int offset : offsets) {
                int length = Math.min(1480, udp.length - offset);
                Ipv4Repr header = Frames.fragment(PEER_IP, OUR_IP, IpProtocol.UDP, 4242, offset, length, offset + length < udp.length);
                f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, header, java.util.Arrays.copyOfRange(udp, offset, offset + length)));
            }

            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            int fragments = 0;
            while (reply.size() < 8 + data.length) {
                Frames.Sent fragment = f.awaitSent();
                assertThat(fragment.ipv4().fragmentOffset()).isEqualTo(reply.size());
                reply.write(fragment.ipv4Payload());
                fragments++;
            }
            assertThat(fragments).isEqualTo(21); // ceil(30 008 / 1480)
            byte[] replyDatagram = reply.toByteArray();
            // Read the reassembled reply as one datagram (checksum included).
            Ipv4Repr whole = Frames.header(OUR_IP, PEER_IP, IpProtocol.UDP, replyDatagram.length, 1);
            ByteBuf frame = wrap(Frames.ipv4Frame(OUR_MAC, PEER_MAC, whole, replyDatagram));
            Frames.Udp echoed;
            try {
                echoed = Frames.read(frame).udp();
            } finally {
                frame.release();
            }
            assertThat(echoed.sourcePort()).isEqualTo(7);
            assertThat(echoed.destinationPort()).isEqualTo(40000);
            assertThat(echoed.data()).isEqualTo(data);
        }
    }

    private static ByteBuf wrap(byte[] frame) {
        return TrackedHeapAllocator.INSTANCE.heapBuffer(frame.length).writeBytes(frame);
    }

    @Test
    void aHandlerSeesTheAddressesAndPortsOfEachDatagram() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            BlockingQueue<Datagram> received = new LinkedBlockingQueue<>();
            f.stack.udp().listen(53, received::add);
            f.receive(datagramFrame(33333, 53, new byte[] {9, 8, 7}, 1));
            Datagram d = received.poll(10, TimeUnit.SECONDS);
            try {
                assertThat(d).isNotNull();
                assertThat(d.source()).isEqualTo(PEER_IP);
                assertThat(d.sourcePort()).isEqualTo(33333);
                assertThat(d.destination()).isEqualTo(OUR_IP);
                assertThat(d.destinationPort()).isEqualTo(53);
                assertThat(ByteBufUtil.getBytes(d.payload())).containsExactly(9, 8, 7);
            } finally {
                d.payload().release();
            }
        }
    }

    @Test
    void aFullPortQueueDropsAndCountsAndTheHandlerGoesOn() throws Exception {
        try (StackFixture f = new StackFixture("", ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT, 4, 1500).connectAndMeetPeer()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
            f.stack.udp().listen(9, d -> {
                try {
                    entered.countDown();
                    proceed.await();
                    handled.add((int) d.payload().getUnsignedByte(d.payload().readerIndex()));
                } finally {
                    d.payload().release();
                }
            });
            f.receive(datagramFrame(1000, 9, new byte[] {0}, 0));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 10; i++) f.receive(datagramFrame(1000, 9, new byte[] {(byte) i}, i));
            proceed.countDown();

            for (int expected : new int[] {0, 1, 2, 3, 4}) assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo(expected);
            assertThat(f.stack.stats().udp().dropped(DropReason.QUEUE_FULL)).isEqualTo(5);
            assertThat(handled.poll(100, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aFailingHandlerIsLoggedAndTheNextDatagramIsDelivered() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
            f.stack.udp().listen(9, d -> {
                int first = (int) d.payload().getUnsignedByte(d.payload().readerIndex());
                d.payload().release();
                handled.add(first);
                if (first == 1) throw new IllegalStateException("a bug in the handler");
            });
            f.receive(datagramFrame(1000, 9, new byte[] {1}, 1));
            f.receive(datagramFrame(1000, 9, new byte[] {2}, 2));
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void afterUnlistenThePortIsClosed() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            f.stack.udp().listen(9, d -> d.payload().release());
            f.stack.udp().unlisten(9);
            f.receive(datagramFrame(1000, 9, new byte[] {1}, 1));
            assertThat(f.sent().icmp()).isInstanceOf(Icmpv4Repr.DestinationUnreachable.class);
        }
    }

    @Test
    void acceptsADatagramWithoutChecksumAndDropsOneWithAWrongChecksum() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
            f.stack.udp().listen(9, d -> {
                handled.add(d.payload().readableBytes());
                d.payload().release();
            });
            byte[] noChecksum = Frames.udp(PEER_IP, OUR_IP, 1000, 9, new byte[5]);
            noChecksum[6] = 0;
            noChecksum[7] = 0;
            byte[] wrong = Frames.udp(PEER_IP, OUR_IP, 1000, 9, new byte[6]);
            wrong[8] = 1;
            for (byte[] udp : new byte[][] {wrong, noChecksum}) {
                f.receive(Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, 3), udp));
            }
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(f.stack.stats().udp().dropped(DropReason.BAD_CHECKSUM)).isEqualTo(1);
        }
    }

    @Test
    void writesFromAnEphemeralPortAndRefusesWhatItCannotSend() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            Udp udp = f.stack.udp();
            udp.write(PEER_IP, 9, TrackedHeapAllocator.INSTANCE.heapBuffer().writeByte(1));
            assertThat(f.sent().udp().sourcePort()).isBetween(49_152, 65_535);

            // Each refusal still releases the payload: the leak check would fail otherwise.
            assertThatThrownBy(() -> udp.write(PEER_IP, 9, TrackedHeapAllocator.INSTANCE.heapBuffer().writeZero(Udp.MAX_PAYLOAD + 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 65507 bytes");
            assertThatThrownBy(() -> udp.write(Ipv6Address.parse("fd00::1"), 9, TrackedHeapAllocator.INSTANCE.heapBuffer().writeByte(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4 only");
            assertThatThrownBy(() -> udp.write(5, PEER_IP, 0, TrackedHeapAllocator.INSTANCE.heapBuffer().writeByte(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("destination port");
            assertThatThrownBy(() -> udp.listen(0, d -> {})).isInstanceOf(IllegalArgumentException.class);
            f.assertNothingSent();
        }
    }

    @Test
    void theLargestPayloadGoesOutInFragments() throws Exception {
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            f.stack.udp().write(5, PEER_IP, 9, TrackedHeapAllocator.INSTANCE.heapBuffer().writeZero(Udp.MAX_PAYLOAD));
            List<Frames.Sent> fragments = f.sentAll();
            assertThat(fragments).hasSize(45); // 65 515 octets of UDP in 1480-octet fragments
            assertThat(fragments.getLast().ipv4().fragmentOffset() + fragments.getLast().ipv4().payloadLength()).isEqualTo(65_515);
        }
    }
}
