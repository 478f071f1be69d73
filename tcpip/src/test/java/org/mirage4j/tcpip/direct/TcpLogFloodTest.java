package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * A remote host must not be able to make the stack log without bound: 2 000 SYNs from spoofed off-link sources
 * (the SYN-ACK has no route, as with hping3 --rand-source) leave at most a handful of warnings in the log, not one
 * warning with a stack trace per segment.
 */
class TcpLogFloodTest {

    @Test
    void spoofedSynsFromOffTheLinkDoNotFloodTheLog() throws Exception {
        AtomicInteger warnings = new AtomicInteger();
        Logger logger = Logger.getLogger(DirectTcp.LOGGER_NAME);
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) warnings.incrementAndGet();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(counter);
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            f.stack.tcp().listen(80, flow -> flow.close());
            for (int i = 0; i < 2000; i++) {
                Ipv4Address spoofed = Ipv4Address.parse("192.168." + (i >> 8) + "." + (i & 0xFF));
                byte[] fixed = TcpSegments.segmentFrom(spoofed, 10_000 + i, 80, i, TcpRepr.SYN);
                f.receive(Frames.ipv4Frame(StackFixture.PEER_MAC, StackFixture.OUR_MAC,
                        Frames.header(spoofed, StackFixture.OUR_IP, IpProtocol.TCP, fixed.length, i), fixed));
            }
            assertThat(f.stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
            assertThat(warnings.get()).as("warnings logged for 2 000 spoofed SYNs").isLessThanOrEqualTo(20);
        } finally {
            logger.removeHandler(counter);
        }
    }
}
