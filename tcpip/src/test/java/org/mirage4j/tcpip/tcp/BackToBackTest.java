package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.tcp.cc.CongestionAlgorithm;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

/**
 * Two engines back to back over a {@link VirtualLink}: megabytes each way over paths that lose, reorder, duplicate
 * and corrupt, in virtual time, and every octet must arrive exactly, in order, once.
 */
class BackToBackTest {

    private static final int PORT = 8080;

    /** One direction of a transfer: the writer's data is a seeded stream the reader checks octet by octet. */
    private static final class Stream {
        private final SplittableRandom writerData;
        private final SplittableRandom readerData;
        private final SplittableRandom chunks;
        private final long total;
        private long written;
        private long read;
        private boolean shutDown;
        private boolean ended;
        private byte pending;
        private boolean hasPending;

        Stream(long seed, long total) {
            this.writerData = new SplittableRandom(seed);
            this.readerData = new SplittableRandom(seed);
            this.chunks = new SplittableRandom(~seed);
            this.total = total;
        }

        /** Writes what fits; shuts the writer's side once all is written. */
        void write(Connection writer, long now, ByteBuf scratch) {
            while (written < total && writer.sendSpace() > 0) {
                int n = (int) Math.min(Math.min(writer.sendSpace(), scratch.capacity()), total - written);
                n = Math.max(1, Math.min(n, 1 + chunks.nextInt(20_000)));
                scratch.clear();
                for (int i = 0; i < n; i++) scratch.writeByte(nextWriterByte());
                int taken = writer.write(scratch, now);
                assertThat(taken).isEqualTo(n);
                written += n;
            }
            if (written == total && !shutDown) {
                writer.shutdownOutput(now);
                shutDown = true;
            }
        }

        private byte nextWriterByte() {
            return (byte) writerData.nextInt(256);
        }

        /** Reads what arrived and checks it. */
        void read(Connection reader, long now, ByteBuf scratch) {
            while (true) {
                scratch.clear();
                int n = reader.read(scratch, now);
                if (n < 0) {
                    ended = true;
                    return;
                }
                if (n == 0) return;
                for (int i = 0; i < n; i++) {
                    byte expected = (byte) readerData.nextInt(256);
                    if (scratch.getByte(i) != expected) {
                        throw new AssertionError("octet " + (read + i) + " differs: expected " + expected + ", got "
                                + scratch.getByte(i));
                    }
                }
                read += n;
            }
        }

        boolean done() {
            return ended && read == total;
        }
    }

    @Property(tries = 12)
    void bothWaysOverALossyPathArriveExactly(Gen gen) {
        TcpConfig.Builder config = TcpConfig.builder()
                .congestionControl(gen.oneOf(CongestionAlgorithm.values()))
                .sack(gen.bool())
                .timestamps(gen.bool())
                .windowScaling(gen.bool())
                .noDelay(gen.bool())
                .delayedAck(Duration.ofMillis(gen.oneOf(0, 40, 200)))
                .receiveBufferSize(gen.oneOf(8 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024))
                .sendBufferSize(gen.oneOf(4 * 1024, 64 * 1024, 256 * 1024))
                .dataRetries(50);
        TcpConfig configA = config.build();
        TcpConfig configB = config.sack(gen.bool()).timestamps(gen.bool()).build();
        VirtualLink.Path path = new VirtualLink.Path(
                gen.oneOf(10_000_000L, 100_000_000L, 1_000_000_000L),
                gen.oneOf(100_000L, 1_000_000L, 20_000_000L),
                gen.oneOf(0L, 50_000L, 2_000_000L),
                gen.intBetween(8, 200),
                gen.oneOf(0.0, 0.01, 0.05, 0.2),
                gen.oneOf(0.0, 0.01, 0.05),
                gen.oneOf(0.0, 0.001, 0.01));
        long size = gen.intBetween(1, 4) * 256 * 1024L + gen.intBetween(0, 5000);
        transfer(configA, configB, path, gen.longValue(), size, size / 2 + gen.intBetween(0, 1000));
    }

    @Test
    void smallTransferBothWays() {
        VirtualLink.Path path = new VirtualLink.Path(10_000_000_000L, 50_000L, 0, 1000, 0, 0, 0);
        transfer(TcpConfig.DEFAULT, TcpConfig.DEFAULT, path, 42, 100_000, 50_000);
    }

    @Test
    void eightMegabytesOverACleanFastPath() {
        VirtualLink.Path path = new VirtualLink.Path(10_000_000_000L, 50_000L, 0, 1000, 0, 0, 0);
        VirtualLink link = transfer(TcpConfig.DEFAULT, TcpConfig.DEFAULT, path, 42, 8 << 20, 8 << 20);
        assertThat(link.a.stats().get(TcpCounter.RETRANSMITS)).isZero();
        assertThat(link.b.stats().get(TcpCounter.RETRANSMITS)).isZero();
    }

    @Test
    void fourMegabytesThroughFivePercentLoss() {
        VirtualLink.Path path = new VirtualLink.Path(100_000_000L, 5_000_000L, 1_000_000L, 100, 0.05, 0.01, 0.001);
        VirtualLink link = transfer(TcpConfig.DEFAULT, TcpConfig.DEFAULT, path, 7, 4 << 20, 4 << 20);
        assertThat(link.a.stats().get(TcpCounter.RETRANSMITS)).isPositive();
        assertThat(link.a.stats().get(TcpCounter.BAD_CHECKSUM) + link.b.stats().get(TcpCounter.BAD_CHECKSUM))
                .as("corrupted segments were caught").isPositive();
    }

    @Test
    void twoMegabytesThroughTwentyPercentLoss() {
        VirtualLink.Path path = new VirtualLink.Path(100_000_000L, 2_000_000L, 500_000L, 100, 0.2, 0.02, 0);
        transfer(TcpConfig.builder().dataRetries(50).build(), TcpConfig.builder().dataRetries(50).build(), path, 11,
                2 << 20, 2 << 20);
    }

    /**
     * Hundreds of short request-response connections, one after the other, over a lossy path: each ends cleanly,
     * the TIME-WAIT table stays within its bound, and (through the leak check) every buffer goes back.
     */
    @Test
    void manySequentialConnectionsEndCleanly() {
        TcpConfig config = TcpConfig.builder().timeWaitLimit(16).build();
        VirtualLink.Path path = new VirtualLink.Path(1_000_000_000L, 200_000L, 100_000L, 100, 0.02, 0.01, 0);
        VirtualLink link = new VirtualLink(config, config, path, 99, TcpEvents.NONE);
        ByteBuf scratch = Unpooled.buffer(4096);
        try {
            Listener listener = link.b.listen(PORT);
            for (int i = 0; i < 300; i++) {
                Connection client = link.a.connect(VirtualLink.A, VirtualLink.B, PORT, link.now);
                Connection server = null;
                boolean asked = false;
                boolean answered = false;
                String request = "GET /" + i;
                StringBuilder got = new StringBuilder();
                long limit = link.now + Duration.ofMinutes(2).toNanos();
                while (client.state() != TcpState.CLOSED || server == null || server.state() != TcpState.CLOSED) {
                    if (client.state() == TcpState.TIME_WAIT && server != null && server.state() == TcpState.CLOSED) break;
                    if (server == null) server = listener.accept();
                    if (!asked && client.isEstablished()) {
                        client.write(Unpooled.copiedBuffer(request, java.nio.charset.StandardCharsets.US_ASCII), link.now);
                        client.shutdownOutput(link.now);
                        asked = true;
                    }
                    if (server != null && !answered && server.isEndOfStream()) {
                        server.write(Unpooled.copiedBuffer("OK", java.nio.charset.StandardCharsets.US_ASCII), link.now);
                        server.close(link.now);
                        answered = true;
                    }
                    if (server != null && !answered) {
                        scratch.clear();
                        server.read(scratch, link.now);
                    }
                    scratch.clear();
                    if (client.read(scratch, link.now) > 0) got.append(scratch.toString(java.nio.charset.StandardCharsets.US_ASCII));
                    if (client.isEndOfStream() && client.state() != TcpState.CLOSED) client.close(link.now);
                    assertThat(client.error()).as("connection %d", i).isNull();
                    if (!link.step() || link.now > limit) {
                        throw new AssertionError("connection " + i + " did not end: " + client.describe() + "; "
                                + (server == null ? null : server.describe()));
                    }
                }
                assertThat(got.toString()).isEqualTo("OK");
                assertThat(link.a.stats().timeWait()).isLessThanOrEqualTo(16);
            }
            assertThat(link.a.stats().get(TcpCounter.TIME_WAIT_EVICTED)).isPositive();
            assertThat(link.b.stats().connections()).isZero();
        } finally {
            link.a.abortAll(link.now);
            link.b.abortAll(link.now);
            link.clear();
        }
    }

    /**
     * Runs a transfer from A to B of {@code aToB} octets and from B to A of {@code bToA}, both at once, then both
     * close; fails unless everything arrives exactly and both connections end cleanly.
     */
    static VirtualLink transfer(TcpConfig configA, TcpConfig configB, VirtualLink.Path path, long seed, long aToB,
            long bToA) {
        VirtualLink link = new VirtualLink(configA, configB, path, seed, TcpEvents.NONE);
        // The test's own scratch space, untracked: the leak detector would record every octet the test checks.
        ByteBuf scratch = Unpooled.buffer(64 * 1024, 64 * 1024);
        Connection client = null;
        Connection server = null;
        try {
            Listener listener = link.b.listen(PORT);
            client = link.a.connect(VirtualLink.A, VirtualLink.B, PORT, link.now);
            Stream up = new Stream(seed ^ 0x5555, aToB);
            Stream down = new Stream(seed ^ 0xAAAA, bToA);
            long limit = link.now + Duration.ofHours(2).toNanos();
            long steps = 0;
            while (!(up.done() && down.done())) {
                if (server == null) server = listener.accept();
                if (client.error() != null || (server != null && server.error() != null)) {
                    throw new AssertionError("a connection failed at " + link.now / 1_000_000 + " ms: up " + up.read
                            + "/" + aToB + ", down " + down.read + "/" + bToA + "; client " + client.error() + " "
                            + client.stats() + "; server " + (server == null ? null : server.error() + " " + server.stats())
                            + "; A " + link.a.stats() + "; B " + link.b.stats() + "\n" + String.join("\n", link.trace));
                }
                if (client.isEstablished()) up.write(client, link.now, scratch);
                if (server != null) {
                    down.write(server, link.now, scratch);
                    up.read(server, link.now, scratch);
                }
                down.read(client, link.now, scratch);
                if (up.done() && down.done()) break;
                if (!link.step()) throw new AssertionError("the transfer stalled with nothing left to happen: up "
                        + up.read + "/" + aToB + ", down " + down.read + "/" + bToA + "; client " + client.describe()
                        + "; server " + (server == null ? null : server.describe()) + "\n" + String.join("\n", link.trace));
                steps++;
                if (link.now > limit || steps > 50_000_000) {
                    throw new AssertionError("the transfer did not finish in time: up " + up.read + "/" + aToB
                            + ", down " + down.read + "/" + bToA + "; client " + client.stats() + "; server "
                            + (server == null ? null : server.stats()));
                }
            }
            client.close(link.now);
            server.close(link.now);
            // Let the closing handshake and TIME-WAIT play out.
            long end = link.now + Duration.ofMinutes(5).toNanos();
            while (link.now < end && link.step()) {
                if (client.state() == TcpState.CLOSED && server.state() == TcpState.CLOSED
                        && link.a.stats().connections() == 0 && link.b.stats().connections() == 0) break;
            }
            assertThat(client.error()).isNull();
            assertThat(server.error()).isNull();
            assertThat(link.a.stats().connections()).isZero();
            assertThat(link.b.stats().connections()).isZero();
            return link;
        } finally {
            scratch.release();
            if (client != null) client.abort(link.now);
            if (server != null) server.abort(link.now);
            link.a.abortAll(link.now);
            link.b.abortAll(link.now);
            link.clear();
        }
    }
}
