package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * A remote host must not be able to make the stack log without bound: 300 connections that the peer resets while
 * an ordinary handler (one that lets the flow's SocketException propagate, as most do) is reading leave at most a
 * handful of warnings, not one warning with a stack trace per connection.
 */
class ResetLogFloodTest {

    @Test
    void connectionsResetByThePeerDoNotFloodTheLog() throws Exception {
        WarningCounter counter = new WarningCounter(DirectTcp.LOGGER_NAME);
        AtomicInteger ended = new AtomicInteger();
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            f.stack.tcp().listen(80, flow -> {
                try {
                    for (ByteBuf data; (data = flow.read()) != null; ) data.release(); // throws when the peer resets
                } finally {
                    ended.incrementAndGet();
                }
            });
            for (int port = 20_000; port < 20_300; port++) {
                f.receive(TcpSegments.frame(port, 80, 1000, 0, TcpRepr.SYN, new byte[0]));
                TcpRepr synAck = TcpSegments.read(f.sent()).header();
                int ours = synAck.seq().raw() + 1;
                f.receive(TcpSegments.frame(port, 80, 1001, ours, TcpRepr.ACK, new byte[0]));
                f.receive(TcpSegments.frame(port, 80, 1001, ours, TcpRepr.RST | TcpRepr.ACK, new byte[0]));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ended.get() < 300 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(ended.get()).isEqualTo(300);
            assertThat(counter.warnings()).as("warnings logged for 300 connections reset by the peer").isLessThanOrEqualTo(20);
        } finally {
            counter.close();
        }
    }
}
