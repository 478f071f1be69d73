package org.mirage4j.tcpip.direct;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.tcpip.tcp.TcpConfig;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The direct stack wakes a flow's reader once per burst of frames the device reads ({@link Network#listen(Consumer,
 * Runnable)}), not once per segment: a reader waiting when a burst of segments arrives wakes once, after the burst,
 * and finds all of it; and a burst of one frame still wakes it.
 */
class BurstWakeTest {

    private static final int PORT = 80;
    private static final int PEER_PORT = 40_000;
    private static final int PEER_ISN = 5_000;

    private final BurstLink link = new BurstLink();
    private DirectStack stack;
    private final SynchronousQueue<Flow> accepted = new SynchronousQueue<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private int peerSeq = PEER_ISN + 1;
    private int ourNext;

    @BeforeEach
    void start() throws Exception {
        stack = new DirectStack(link, System::nanoTime, new SeededRandom(3),
                new StaticIpv4Source(Ipv4Prefix.parse("10.0.0.2/24"), ""), ByteBufAllocator.DEFAULT, TcpConfig.DEFAULT);
        stack.connect();
        stack.tcp().listen(PORT, flow -> {
            accepted.put(flow);
            done.await(); // the test reads the flow from its own thread
        });
        link.burst(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP))));
        link.burst(TcpSegments.frame(PEER_PORT, PORT, PEER_ISN, 0, TcpRepr.SYN, new byte[0]));
        TcpRepr synAck = link.awaitSegment();
        while (!synAck.syn()) synAck = link.awaitSegment(); // past the ARP frames
        ourNext = synAck.seq().raw() + 1;
        link.burst(TcpSegments.frame(PEER_PORT, PORT, peerSeq, ourNext, TcpRepr.ACK, new byte[0]));
    }

    @AfterEach
    void stop() {
        done.countDown();
        stack.disconnect();
        link.disconnect();
    }

    @Test
    void aBurstOfOneFrameWakesTheReader() throws Exception {
        Flow flow = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(flow).as("the connection, accepted").isNotNull();
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        Thread reader = readInto(flow, read);
        awaitWaiting(reader);
        link.burst(data("one"));
        assertThat(read.poll(10, TimeUnit.SECONDS)).isEqualTo("one");
    }

    @Test
    void aReaderWakesOnceAfterTheBurstAndFindsAllOfIt() throws Exception {
        Flow flow = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(flow).as("the connection, accepted").isNotNull();
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        Thread reader = readInto(flow, read);
        awaitWaiting(reader);
        link.burst(data("one "), data("two "), data("three"));
        // Woken per segment, the reader could take the first segment alone; woken at the burst's end, it finds all.
        assertThat(read.poll(10, TimeUnit.SECONDS)).isEqualTo("one two three");
    }

    /** A data segment from the peer at its next sequence number. */
    private byte[] data(String text) {
        byte[] bytes = text.getBytes(US_ASCII);
        byte[] frame = TcpSegments.frame(PEER_PORT, PORT, peerSeq, ourNext, TcpRepr.ACK | TcpRepr.PSH, bytes);
        peerSeq += bytes.length;
        return frame;
    }

    /** A virtual thread that reads {@code flow} once and puts what it read (or why it failed) in {@code into}. */
    private static Thread readInto(Flow flow, BlockingQueue<String> into) {
        return Thread.ofVirtual().start(() -> {
            try {
                ByteBuf data = flow.read();
                try {
                    into.add(data.toString(US_ASCII));
                } finally {
                    data.release();
                }
            } catch (IOException | RuntimeException e) {
                into.add("failed: " + e);
            }
        });
    }

    /** Waits until {@code reader} waits (in {@code flow.read()}, for data). */
    private static void awaitWaiting(Thread reader) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("the reader waits within 10 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /**
     * A device whose receive loop hands the stack bursts the test queued, each burst's frames in a row and then the
     * burst's end, as a tap device does when a read finds no further frame. What the stack sends is queued for the
     * test.
     */
    private static final class BurstLink implements Network {
        private static final List<byte[]> STOP = List.of();
        private final BlockingQueue<List<byte[]>> bursts = new LinkedBlockingQueue<>();
        private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();

        /** Queues {@code frames} as one burst for the receive loop. */
        void burst(byte[]... frames) {
            bursts.add(List.of(frames));
        }

        /** The next TCP segment the stack sent, skipping other frames. */
        TcpRepr awaitSegment() throws InterruptedException {
            while (true) {
                byte[] frame = sent.poll(10, TimeUnit.SECONDS);
                assertThat(frame).as("a frame sent by the stack within 10 s").isNotNull();
                ByteBuf buf = Unpooled.wrappedBuffer(frame);
                Frames.Sent s = Frames.read(buf);
                if (s.ethernet().etherType() == EtherType.IPV4) return TcpSegments.read(s).header();
            }
        }

        @Override
        public void connect() {}

        @Override
        public void disconnect() {
            bursts.add(STOP);
        }

        @Override
        public MacAddress mac() {
            return StackFixture.OUR_MAC;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void listen(Consumer<ByteBuf> handler) throws IOException {
            listen(handler, () -> {});
        }

        @Override
        public void listen(Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
            try {
                for (List<byte[]> burst; (burst = bursts.take()) != STOP; ) {
                    for (byte[] frame : burst) {
                        handler.accept(ByteBufAllocator.DEFAULT.buffer(frame.length).writeBytes(frame));
                    }
                    burstEnd.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void write(int size, Consumer<ByteBuf> filler) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(size);
            try {
                filler.accept(buf);
                byte[] frame = new byte[buf.readableBytes()];
                buf.readBytes(frame);
                sent.add(frame);
            } finally {
                buf.release();
            }
        }

        @Override
        public NetworkStats stats() {
            return new NetworkStats(0, 0, 0, 0, 0, 0);
        }
    }
}
