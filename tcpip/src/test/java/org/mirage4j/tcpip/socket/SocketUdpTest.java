package org.mirage4j.tcpip.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.socket.Sockets.LOOPBACK;
import static org.mirage4j.tcpip.socket.Sockets.eventually;
import static org.mirage4j.tcpip.socket.Sockets.freeUdpPort;
import static org.mirage4j.tcpip.socket.Sockets.isOneSentence;
import static org.mirage4j.tcpip.socket.Sockets.pooled;
import static org.mirage4j.tcpip.socket.Sockets.randomBytes;
import static org.mirage4j.tcpip.socket.Sockets.text;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.DatagramHandler;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.Udp;

/** UDP of the socket stack, against a java.nio datagram channel over loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketUdpTest {

    private static final int SMALL_QUEUE = 4;

    private SocketStack stack;
    private Udp udp;
    private int port;
    private DatagramChannel peer;

    @BeforeEach
    void connect() throws IOException {
        stack = new SocketStack(Ipv4Prefix.parse("127.0.0.1/8"), SMALL_QUEUE);
        stack.connect();
        udp = stack.udp();
        port = freeUdpPort();
        peer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
    }

    @AfterEach
    void disconnect() throws IOException {
        stack.disconnect();
        peer.close();
    }

    @Test
    void echoesDatagramsByteForByteUpToTheLargest() throws Exception {
        udp.listen(port, echoFrom(port));

        for (int size : new int[] {0, 1, 1_472, 60_000, Udp.MAX_PAYLOAD}) {
            byte[] sent = randomBytes(size, size);
            peer.send(ByteBuffer.wrap(sent), new InetSocketAddress(LOOPBACK, port));

            ByteBuffer reply = ByteBuffer.allocate(70_000);
            InetSocketAddress from = (InetSocketAddress) peer.receive(reply);
            reply.flip();
            byte[] echoed = new byte[reply.remaining()];
            reply.get(echoed);
            assertThat(echoed).as("echo of %d bytes", size).isEqualTo(sent);
            assertThat(from.getPort()).as("the reply comes from the listening port").isEqualTo(port);
        }
        assertThat(stack.udpReceived()).isEqualTo(5);
        assertThat(stack.udpDropped()).isZero();
    }

    @Test
    void aDatagramNamesBothEnds() throws Exception {
        BlockingQueue<Datagram> received = new ArrayBlockingQueue<>(1);
        udp.listen(port, received::add);

        peer.send(ByteBuffer.wrap("hi".getBytes(UTF_8)), new InetSocketAddress(LOOPBACK, port));

        Datagram datagram = received.poll(10, TimeUnit.SECONDS);
        assertThat(datagram).isNotNull();
        assertThat(text(datagram.payload())).isEqualTo("hi");
        assertThat(datagram.source()).isEqualTo(Ipv4Address.LOCALHOST);
        assertThat(datagram.sourcePort()).isEqualTo(((InetSocketAddress) peer.getLocalAddress()).getPort());
        assertThat(datagram.destination()).isEqualTo(Ipv4Address.LOCALHOST);
        assertThat(datagram.destinationPort()).isEqualTo(port);
    }

    @Test
    void writesFromTheGivenPortWhenNotListening() throws Exception {
        udp.write(port, Ipv4Address.LOCALHOST, peerPort(), pooled("from a chosen port"));

        ByteBuffer got = ByteBuffer.allocate(100);
        InetSocketAddress from = (InetSocketAddress) peer.receive(got);
        assertThat(from.getPort()).isEqualTo(port);
        assertThat(new String(got.array(), 0, got.position(), UTF_8)).isEqualTo("from a chosen port");
    }

    @Test
    void writesFromOneEphemeralPort() throws Exception {
        udp.write(Ipv4Address.LOCALHOST, peerPort(), pooled("first"));
        udp.write(Ipv4Address.LOCALHOST, peerPort(), pooled("second"));

        ByteBuffer got = ByteBuffer.allocate(100);
        InetSocketAddress first = (InetSocketAddress) peer.receive(got);
        assertThat(new String(got.array(), 0, got.position(), UTF_8)).isEqualTo("first");
        got.clear();
        InetSocketAddress second = (InetSocketAddress) peer.receive(got);
        assertThat(new String(got.array(), 0, got.position(), UTF_8)).isEqualTo("second");
        assertThat(first.getPort()).isNotZero().isEqualTo(second.getPort());
    }

    @Test
    void refusesAnOversizedPayloadAndReleasesIt() {
        ByteBuf fromPort = pooled(new byte[Udp.MAX_PAYLOAD + 1]);
        ByteBuf ephemeral = pooled(new byte[Udp.MAX_PAYLOAD + 1]);

        assertThatThrownBy(() -> udp.write(port, Ipv4Address.LOCALHOST, peerPort(), fromPort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(Udp.MAX_PAYLOAD));
        assertThatThrownBy(() -> udp.write(Ipv4Address.LOCALHOST, peerPort(), ephemeral))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fromPort.refCnt()).isZero();
        assertThat(ephemeral.refCnt()).isZero();
    }

    @Test
    void aFullQueueCountsAndDropsAndTheStackGoesOn() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        udp.listen(port, datagram -> {
            int sequence = datagram.payload().readInt();
            datagram.payload().release();
            delivered.add(sequence);
            if (sequence == 0) unblock.await(); // the handler falls behind
        });
        sendSequence(0);
        assertThat(eventually(() -> delivered.contains(0))).isTrue();

        // One at a time, each seen by the receive loop before the next: the queue takes SMALL_QUEUE, drops the rest.
        int extra = 5;
        for (int sequence = 1; sequence <= SMALL_QUEUE + extra; sequence++) {
            long before = stack.udpReceived();
            sendSequence(sequence);
            assertThat(eventually(() -> stack.udpReceived() > before)).isTrue();
        }
        // The receive loop counts a datagram before it queues or drops it: wait for the last drop to be counted.
        assertThat(eventually(() -> stack.udpDropped() == extra)).as("dropped: %d", stack.udpDropped()).isTrue();
        assertThat(delivered).containsExactly(0);

        unblock.countDown();
        assertThat(eventually(() -> delivered.size() == 1 + SMALL_QUEUE)).as("what was queued is delivered").isTrue();
        sendSequence(-1);

        assertThat(eventually(() -> delivered.contains(-1))).as("a datagram after the overflow arrives").isTrue();
        assertThat(delivered).as("in arrival order").containsExactly(0, 1, 2, 3, 4, -1);
        assertThat(stack.udpDropped()).isEqualTo(extra);
        assertThat(stack.udpReceived()).isEqualTo(delivered.size() + extra);
    }

    private void sendSequence(int sequence) throws IOException {
        peer.send(ByteBuffer.allocate(4).putInt(0, sequence), new InetSocketAddress(LOOPBACK, port));
    }

    @Test
    void aHandlerExceptionSkipsOnlyThatDatagram() throws Exception {
        DatagramHandler echo = echoFrom(port);
        udp.listen(port, datagram -> {
            if (text(datagram.payload().retainedDuplicate()).equals("boom")) {
                datagram.payload().release();
                throw new IllegalStateException("a handler failing on purpose");
            }
            echo.handle(datagram);
        });

        peer.send(ByteBuffer.wrap("boom".getBytes(UTF_8)), new InetSocketAddress(LOOPBACK, port));
        peer.send(ByteBuffer.wrap("fine".getBytes(UTF_8)), new InetSocketAddress(LOOPBACK, port));

        ByteBuffer got = ByteBuffer.allocate(100);
        peer.receive(got);
        assertThat(new String(got.array(), 0, got.position(), UTF_8)).isEqualTo("fine");
    }

    @Test
    void unlistenFreesThePort() throws Exception {
        udp.listen(port, datagram -> datagram.payload().release());

        udp.unlisten(port);

        try (DatagramChannel rebound = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port))) {
            assertThat(((InetSocketAddress) rebound.getLocalAddress()).getPort()).isEqualTo(port);
        }
    }

    @Test
    void listenAgainReplacesTheHandler() throws Exception {
        BlockingQueue<String> first = new ArrayBlockingQueue<>(10);
        BlockingQueue<String> second = new ArrayBlockingQueue<>(10);
        udp.listen(port, datagram -> first.add(text(datagram.payload())));
        peer.send(ByteBuffer.wrap("a".getBytes(UTF_8)), new InetSocketAddress(LOOPBACK, port));
        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo("a");

        udp.listen(port, datagram -> second.add(text(datagram.payload())));
        peer.send(ByteBuffer.wrap("b".getBytes(UTF_8)), new InetSocketAddress(LOOPBACK, port));

        assertThat(second.poll(10, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(first).isEmpty();
    }

    @Test
    void aTakenPortIsOneSentenceNamingIt() throws Exception {
        try (DatagramChannel squatter = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port))) {
            assertThat(squatter.isOpen()).isTrue();
            assertThatThrownBy(() -> udp.listen(port, datagram -> datagram.payload().release()))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("UDP port " + port)
                    .satisfies(e -> assertThat(isOneSentence(e.getMessage())).as(e.getMessage()).isTrue());
        }
    }

    private int peerPort() throws IOException {
        return ((InetSocketAddress) peer.getLocalAddress()).getPort();
    }

    /** Sends every datagram back to its sender from {@code port}; the payload passes to the write. */
    private DatagramHandler echoFrom(int port) {
        return datagram -> udp.write(port, datagram.source(), datagram.sourcePort(), datagram.payload());
    }
}
