package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

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
        WarningCounter counter = new WarningCounter(DirectTcp.LOGGER_NAME);
        try (StackFixture f = new StackFixture().connectAndMeetPeer()) {
            f.stack.tcp().listen(80, flow -> flow.close());
            for (int i = 0; i < 2000; i++) {
                Ipv4Address spoofed = Ipv4Address.parse("192.168." + (i >> 8) + "." + (i & 0xFF));
                byte[] fixed = TcpSegments.segmentFrom(spoofed, 10_000 + i, 80, i, TcpRepr.SYN);
                f.receive(Frames.ipv4Frame(StackFixture.PEER_MAC, StackFixture.OUR_MAC,
                        Frames.header(spoofed, StackFixture.OUR_IP, IpProtocol.TCP, fixed.length, i), fixed));
            }
            assertThat(f.stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();
            assertThat(counter.warnings()).as("warnings logged for 2 000 spoofed SYNs").isLessThanOrEqualTo(20);
        } finally {
            counter.close();
        }
    }
}
