package org.mirage4j.tcpip.direct;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.link.ChannelLink;
import org.mirage4j.tcpip.link.FaultSpec;
import org.mirage4j.tcpip.link.FaultyNetwork;
import org.mirage4j.tcpip.tcp.ConnectionStats;
import org.mirage4j.tcpip.tcp.TcpConfig;
import org.mirage4j.tcpip.tcp.TcpCounter;

/**
 * TCP between two direct stacks on wired channel links, each with its own receive loop and timer on the real clock:
 * the flows' blocking API over the engine, with and without a damaging link between them.
 */
class DirectTcpTest {

    private static final MonotonicClock REAL_TIME = System::nanoTime;
    private static final Ipv4Address ADDRESS_B = Ipv4Address.parse("192.168.7.2");
    private static final int ECHO = 7;

    private final List<Runnable> cleanup = new ArrayList<>();
    private DirectStack a;
    private DirectStack b;

    /** Two stacks, A at .1 and B at .2; with {@code faults} non-blank, A's link damages frames both ways. */
    private void start(String faults) throws IOException {
        ChannelLink linkA = new ChannelLink(MacAddress.parse("02:00:00:00:00:0a"));
        ChannelLink linkB = new ChannelLink(MacAddress.parse("02:00:00:00:00:0b"));
        ChannelLink.wire(linkA, linkB);
        Network aSide = linkA;
        if (!faults.isBlank()) {
            FaultyNetwork faulty = new FaultyNetwork(linkA, FaultSpec.parse(faults));
            faulty.connect();
            cleanup.add(faulty::disconnect);
            aSide = faulty;
        }
        a = new DirectStack(aSide, REAL_TIME, new SeededRandom(1), new StaticIpv4Source(Ipv4Prefix.parse("192.168.7.1/24"), ""),
                ByteBufAllocator.DEFAULT, TcpConfig.DEFAULT);
        b = new DirectStack(linkB, REAL_TIME, new SeededRandom(2), new StaticIpv4Source(Ipv4Prefix.parse("192.168.7.2/24"), ""),
                ByteBufAllocator.DEFAULT, TcpConfig.DEFAULT);
        cleanup.add(linkA::disconnect);
        cleanup.add(linkB::disconnect);
        cleanup.add(b::disconnect);
        cleanup.add(a::disconnect);
        a.connect();
        b.connect();
    }

    @AfterEach
    void stop() {
        for (Runnable r : cleanup.reversed()) r.run();
    }

    /** B echoes every byte back, then closes its side when A closes its own. */
    private void echoOnB() throws IOException {
        b.tcp().listen(ECHO, flow -> {
            for (ByteBuf data; (data = flow.read()) != null; ) flow.write(data);
            flow.shutdownOutput();
        });
    }

    /** Sends {@code size} seeded random bytes through {@code flow} in pieces of random size, then closes A's side. */
    private static Thread sendRandom(Flow flow, long size, long seed, AtomicReference<String> sentHash) {
        return Thread.ofVirtual().start(() -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                SplittableRandom random = new SplittableRandom(seed);
                for (long sent = 0; sent < size; ) {
                    int n = (int) Math.min(size - sent, random.nextInt(1, 100_000));
                    byte[] piece = new byte[n];
                    random.nextBytes(piece);
                    sha.update(piece);
                    flow.write(Unpooled.wrappedBuffer(piece));
                    sent += n;
                }
                flow.shutdownOutput();
                sentHash.set(HexFormat.of().formatHex(sha.digest()));
            } catch (Exception e) {
                sentHash.set("failed: " + e);
            }
        });
    }

    /** Reads {@code flow} to its end; returns the SHA-256 and the length of what came. */
    private static String readAll(Flow flow, long[] length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (ByteBuf data; (data = flow.read()) != null; ) {
            try {
                length[0] += data.readableBytes();
                sha.update(data.nioBuffer());
            } finally {
                data.release();
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void echoes(long size, long seed) throws Exception {
        try (Flow flow = a.tcp().connect(ADDRESS_B, ECHO)) {
            AtomicReference<String> sent = new AtomicReference<>();
            Thread writer = sendRandom(flow, size, seed, sent);
            long[] length = {0};
            // Longer than the engine's 60 s cap on the persist interval: on a lossy link a window update can be
            // lost while the sender's probes are backed off (RFC 1122 section 4.2.2.17), and the transfer then
            // resumes at the next probe. This checks delivery, not latency.
            flow.setReadTimeout(Duration.ofSeconds(90));
            String received;
            try {
                received = readAll(flow, length);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("Stuck after " + length[0] + " bytes: " + ((DirectFlow) flow).stats()
                        + "; A: " + a.tcpStats() + "; B: " + b.tcpStats()
                        + "\nA: " + a.describeConnections() + "B: " + b.describeConnections(), e);
            }
            assertThat(writer.join(Duration.ofSeconds(90))).isTrue();
            assertThat(length[0]).isEqualTo(size);
            assertThat(received).isEqualTo(sent.get());
            ConnectionStats stats = ((DirectFlow) flow).stats();
            assertThat(stats.bytesSent()).isEqualTo(size);
            assertThat(stats.bytesReceived()).isEqualTo(size);
            assertThat(stats.cwnd()).isPositive();
        }
    }

    @Test
    void echoesSixteenMegabytesByteForByte() throws Exception {
        start("");
        echoOnB();
        long begin = System.nanoTime();
        echoes(16 << 20, 3);
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("DirectTcpTest: 16 MiB echoed (each way) in %.2f s: %.1f MB/s each way%n", seconds, 16.777216 / seconds);
        assertThat(a.stats().totalDropped()).isZero();
        assertThat(b.tcpStats().get(TcpCounter.ESTABLISHED)).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentFlowsEachEchoTheirOwnBytes() throws Exception {
        start("");
        echoOnB();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 50; i++) {
            long seed = 100 + i;
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    echoes(200_000, seed);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : clients) assertThat(t.join(Duration.ofSeconds(60))).isTrue();
        assertThat(failures).isEmpty();
        assertThat(b.tcpStats().get(TcpCounter.PASSIVE_OPENS)).isEqualTo(50);
    }

    @Test
    void aLossyReorderingDuplicatingLinkStillDeliversEveryByteInOrder() throws Exception {
        start("drop=0.02,duplicate=0.01,reorder=0.02:3,seed=11");
        echoOnB();
        echoes(4 << 20, 5);
        assertThat(a.tcpStats().get(TcpCounter.RETRANSMITS) + b.tcpStats().get(TcpCounter.RETRANSMITS)).isPositive();
    }

    @Test
    void halfCloseLetsThePeerAnswerAfterOurFin() throws Exception {
        start("");
        b.tcp().listen(80, flow -> {
            long[] length = {0};
            readAll(flow, length); // to our FIN
            flow.write(Unpooled.copiedBuffer("got " + length[0], US_ASCII));
        });
        try (Flow flow = a.tcp().connect(ADDRESS_B, 80)) {
            flow.write(Unpooled.copiedBuffer("hello", US_ASCII));
            flow.shutdownOutput();
            assertThatThrownBy(() -> flow.write(Unpooled.copiedBuffer("more", US_ASCII))).isInstanceOf(SocketException.class);
            assertThat(readText(flow)).isEqualTo("got 5");
        }
    }

    @Test
    void aReadTimesOutAndTheFlowStillWorksAfterwards() throws Exception {
        start("");
        CountDownLatch speak = new CountDownLatch(1);
        b.tcp().listen(80, flow -> {
            speak.await();
            flow.write(Unpooled.copiedBuffer("late", US_ASCII));
        });
        try (Flow flow = a.tcp().connect(ADDRESS_B, 80)) {
            flow.setReadTimeout(Duration.ofMillis(200));
            long begin = System.nanoTime();
            assertThatThrownBy(flow::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(System.nanoTime() - begin).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            speak.countDown();
            flow.setReadTimeout(Duration.ofSeconds(10));
            assertThat(readText(flow)).isEqualTo("late");
        }
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        start("");
        CountDownLatch done = new CountDownLatch(1);
        b.tcp().listen(80, flow -> done.await());
        Flow flow = a.tcp().connect(ADDRESS_B, 80);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                ByteBuf data = flow.read();
                if (data != null) data.release();
                thrown.set(new AssertionError("read returned"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Thread.sleep(100);
        assertThat(reader.isAlive()).isTrue();
        flow.close();
        flow.close(); // idempotent
        assertThat(reader.join(Duration.ofSeconds(5))).isTrue();
        assertThat(thrown.get()).isInstanceOf(SocketException.class).hasMessageContaining("is closed");
        done.countDown();
    }

    @Test
    void aResetFailsThePeersReadAndWrite() throws Exception {
        start("");
        // B resets once A has spoken, so that the reset comes after A's connect() returned, whatever the scheduling.
        b.tcp().listen(80, flow -> {
            ByteBuf hello = flow.read();
            if (hello != null) hello.release();
            ((DirectFlow) flow).abort();
        });
        try (Flow flow = a.tcp().connect(ADDRESS_B, 80)) {
            flow.write(Unpooled.copiedBuffer("hello", US_ASCII));
            assertThatThrownBy(flow::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThatThrownBy(() -> flow.write(Unpooled.copiedBuffer("x", US_ASCII))).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void aHandlerThatThrowsEndsOnlyItsOwnFlow() throws Exception {
        start("");
        b.tcp().listen(80, flow -> {
            ByteBuf data = flow.read();
            String text = data.toString(US_ASCII);
            data.release();
            if (text.equals("boom")) throw new IllegalStateException("the handler fails on purpose");
            flow.write(Unpooled.copiedBuffer("ok " + text, US_ASCII));
        });
        try (Flow good = a.tcp().connect(ADDRESS_B, 80); Flow bad = a.tcp().connect(ADDRESS_B, 80)) {
            bad.write(Unpooled.copiedBuffer("boom", US_ASCII));
            assertThat(bad.read()).isNull(); // the stack closed the failed handler's flow: our side sees its FIN
            good.write(Unpooled.copiedBuffer("fine", US_ASCII));
            assertThat(readText(good)).isEqualTo("ok fine");
        }
        try (Flow after = a.tcp().connect(ADDRESS_B, 80)) { // the listener goes on
            after.write(Unpooled.copiedBuffer("again", US_ASCII));
            assertThat(readText(after)).isEqualTo("ok again");
        }
    }

    @Test
    void connectingToAPortNobodyListensOnIsRefusedAndUnlistenStopsAccepting() throws Exception {
        start("");
        assertThatThrownBy(() -> a.tcp().connect(ADDRESS_B, 81)).isInstanceOf(ConnectException.class)
                .hasMessage("Connecting to 192.168.7.2:81 failed: the peer refused the connection: nothing listens on that port.");
        echoOnB();
        try (Flow flow = a.tcp().connect(ADDRESS_B, ECHO)) {
            flow.write(Unpooled.copiedBuffer("x", US_ASCII));
            ByteBuf echoed = flow.read(); // B accepted the connection: unlisten leaves it alone
            assertThat(echoed.toString(US_ASCII)).isEqualTo("x");
            echoed.release();
            b.tcp().unlisten(ECHO);
            flow.write(Unpooled.copiedBuffer("still here", US_ASCII));
            flow.shutdownOutput();
            assertThat(readText(flow)).isEqualTo("still here"); // accepted flows go on
        }
        assertThatThrownBy(() -> a.tcp().connect(ADDRESS_B, ECHO)).isInstanceOf(ConnectException.class);
    }

    @Test
    void disconnectFailsOpenFlowsAndTheirThreadsWake() throws Exception {
        start("");
        echoOnB();
        Flow flow = a.tcp().connect(ADDRESS_B, ECHO);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                flow.read();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Thread.sleep(100);
        a.disconnect();
        assertThat(reader.join(Duration.ofSeconds(5))).isTrue();
        assertThat(thrown.get()).isInstanceOf(SocketException.class);
        flow.close();
    }

    /** Reads to the end of the stream, as text. */
    private static String readText(Flow flow) throws IOException {
        StringBuilder text = new StringBuilder();
        for (ByteBuf data; (data = flow.read()) != null; ) {
            text.append(data.toString(US_ASCII));
            data.release();
        }
        return text.toString();
    }
}
