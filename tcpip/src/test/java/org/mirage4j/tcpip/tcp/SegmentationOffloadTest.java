package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.TrackedHeapAllocator;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * TCP segmentation offload: with {@link TcpConfig#offloadSegmentLimit()} set, new data goes out in segments of
 * several MSS for the device to cut, never beyond the congestion window or the peer's window, in whole MSS-sized
 * pieces, each asked to be cut at the MSS; a FIN rides on such a segment when the data before it ends there.
 */
class SegmentationOffloadTest {

    /** Linux's MSS of 1460 less the 12 octets of timestamps, which {@link Opened#passive} negotiates. */
    private static final int MSS = 1448;
    private static final TcpConfig OFFLOADING = TcpConfig.DEFAULT.toBuilder().offloadSegmentLimit(65_515).build();

    @Test
    void theCongestionWindowGoesOutInSeveralSegmentsOfWholeMss() {
        try (Harness h = new Harness(OFFLOADING)) {
            Opened.Pair p = Opened.passive(h);
            int cwnd = p.connection().sender.congestionControl().cwnd();
            write(h, p.connection(), 250_000);

            // A quarter of the window at most (two MSS at least), so that the peer's ACKs, one per segment, keep
            // coming when some are lost; all of them together fill the window in whole MSS.
            int sent = 0;
            while (!h.sent.isEmpty()) {
                Harness.Sent s = p.peer().take();
                assertThat(s.length()).isEqualTo(Math.max(2 * MSS, cwnd / 4 - cwnd / 4 % MSS));
                assertThat(h.segmentSizes.get(s)).isEqualTo(MSS);
                assertThat(s.header().fin()).isFalse();
                sent += s.length();
            }
            assertThat(sent).isEqualTo(cwnd - cwnd % MSS);

            // Slow start opens the window with each ACK; the segments grow with it, and so does each flight.
            int flight = sent;
            for (int i = 0; i < 3; i++) { // slow start doubles each flight: 14 + 29 + 58 + 116 KB of the 250 KB queued
                p.peer().ack();
                int window = p.connection().sender.congestionControl().cwnd();
                int next = 0;
                while (!h.sent.isEmpty()) {
                    Harness.Sent s = p.peer().take();
                    assertThat(s.length() % MSS).isZero();
                    assertThat(s.length()).isLessThanOrEqualTo(Math.max(2 * MSS, window / 4));
                    next += s.length();
                }
                assertThat(next).isLessThanOrEqualTo(window).isGreaterThan(flight);
                flight = next;
            }
        }
    }

    @Test
    void theSegmentStaysWithinThePeersWindowAndLeavesTheShortRestForLater() {
        try (Harness h = new Harness(OFFLOADING)) {
            Opened.Pair p = Opened.passive(h);
            p.peer().window = 5000 >> 7; // 4992 octets at the peer's window scale of 7
            p.peer().ack();
            write(h, p.connection(), 100_000);

            Harness.Sent first = p.peer().take();
            Harness.Sent second = p.peer().take();
            // 4344, in pieces of at most a quarter of the window: 648 more would fit, but not a whole segment.
            assertThat(first.length() + second.length()).isEqualTo(3 * MSS);
            assertThat(h.segmentSizes.get(first)).isEqualTo(MSS);
            h.expectNothing(); // silly window avoidance holds the 648 (RFC 1122 section 4.2.3.4)
        }
    }

    @Test
    void aRetransmissionAfterTheTimerIsOneMss() {
        try (Harness h = new Harness(OFFLOADING)) {
            Opened.Pair p = Opened.passive(h);
            write(h, p.connection(), 60_000);
            Harness.Sent first = p.peer().take();
            assertThat(first.length()).as("a segment for the device to cut").isGreaterThan(MSS);
            while (!h.sent.isEmpty()) p.peer().take(); // every one lost

            h.fireNextTimer();
            Harness.Sent resent = p.peer().take();
            assertThat(resent.header().seq()).isEqualTo(first.header().seq());
            assertThat(resent.length()).isEqualTo(MSS);
            assertThat(h.segmentSizes).doesNotContainKey(resent);
        }
    }

    @Test
    void withoutTheOffloadEverySegmentIsOneMss() {
        try (Harness h = new Harness(TcpConfig.DEFAULT)) {
            Opened.Pair p = Opened.passive(h);
            write(h, p.connection(), 20_000);
            while (!h.sent.isEmpty()) {
                Harness.Sent s = p.peer().take();
                assertThat(s.length()).isEqualTo(MSS);
                assertThat(h.segmentSizes).doesNotContainKey(s);
            }
        }
    }

    @Test
    void aFinRidesOnTheSegmentWhoseDataEndsTheStream() {
        try (Harness h = new Harness(OFFLOADING)) {
            Opened.Pair p = Opened.passive(h);
            p.peer().window = 0;
            p.peer().ack(); // a closed window: what follows waits in the send buffer
            write(h, p.connection(), 4 * MSS);
            p.connection().shutdownOutput(h.now);
            h.expectNothing();

            p.peer().window = 65_535;
            p.peer().ack();
            // Two segments for the device to cut (the initial window of 10 MSS allows a quarter, in whole MSS, each).
            Harness.Sent first = p.peer().take();
            assertThat(first.length()).isEqualTo(2 * MSS);
            assertThat(first.header().flags() & (TcpRepr.FIN | TcpRepr.PSH)).isZero();
            // The FIN is on the segment whose data ends the stream; Linux's GSO puts FIN and PSH on its last piece.
            Harness.Sent last = p.peer().take();
            assertThat(last.length()).isEqualTo(2 * MSS);
            assertThat(last.header().fin()).isTrue();
            assertThat(last.header().flags() & TcpRepr.PSH).isNotZero();
            assertThat(h.segmentSizes.get(last)).isEqualTo(MSS);
            h.expectNothing();
        }
    }

    @Test
    void aShortRestGoesAloneWithTheFin() {
        try (Harness h = new Harness(OFFLOADING)) {
            Opened.Pair p = Opened.passive(h);
            p.peer().window = 0;
            p.peer().ack();
            write(h, p.connection(), 4 * MSS + 100);
            p.connection().shutdownOutput(h.now);

            p.peer().window = 65_535;
            p.peer().ack();
            for (int i = 0; i < 2; i++) {
                Harness.Sent whole = p.peer().take();
                assertThat(whole.length()).isEqualTo(2 * MSS);
                assertThat(whole.header().fin()).isFalse();
            }
            Harness.Sent rest = p.peer().take();
            assertThat(rest.length()).isEqualTo(100);
            assertThat(rest.header().fin()).isTrue();
            assertThat(h.segmentSizes).doesNotContainKey(rest);
            h.expectNothing();
        }
    }

    @Test
    void segmentLengthIsWholeSegmentsWithinEveryLimit() {
        assertThat(Sender.segmentLength(1448, 1448, 100_000, 100_000)).isEqualTo(1448); // no offload: one MSS
        assertThat(Sender.segmentLength(1448, 65_160, 100_000, 100_000)).isEqualTo(65_160); // the offload's most
        assertThat(Sender.segmentLength(1448, 65_160, 10_000, 100_000)).isEqualTo(8688); // windows: 6 whole segments
        assertThat(Sender.segmentLength(1448, 65_160, 100_000, 3000)).isEqualTo(2896); // the queue: the rest waits
        assertThat(Sender.segmentLength(1448, 65_160, 100_000, 1000)).isEqualTo(1000); // short: Nagle decides
        assertThat(Sender.segmentLength(1448, 65_160, 0, 100_000)).isZero();
    }

    private static void write(Harness h, Connection c, int length) {
        ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer(length).writeZero(length);
        try {
            assertThat(c.write(data, h.now)).isEqualTo(length);
        } finally {
            data.release();
        }
    }
}
