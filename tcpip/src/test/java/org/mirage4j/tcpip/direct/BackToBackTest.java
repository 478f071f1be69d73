package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.link.ChannelLink;

/** Two direct stacks on wired channel links, with their own threads and the real clock, talking UDP. */
class BackToBackTest {

    private static final MonotonicClock REAL_TIME = System::nanoTime;

    @Test
    void twoStacksResolveEachOtherAndEchoDatagramsByteForByte() throws Exception {
        ChannelLink linkA = new ChannelLink(MacAddress.parse("02:00:00:00:00:0a"));
        ChannelLink linkB = new ChannelLink(MacAddress.parse("02:00:00:00:00:0b"));
        ChannelLink.wire(linkA, linkB);
        DirectStack a = new DirectStack(linkA, REAL_TIME, new SeededRandom(1), new StaticIpv4Source(Ipv4Prefix.parse("192.168.7.1/24"), ""));
        DirectStack b = new DirectStack(linkB, REAL_TIME, new SeededRandom(2), new StaticIpv4Source(Ipv4Prefix.parse("192.168.7.2/24"), ""));
        Ipv4Address addressB = Ipv4Address.parse("192.168.7.2");
        a.connect();
        b.connect();
        BlockingQueue<Datagram> replies = new LinkedBlockingQueue<>();
        try {
            b.udp().listen(7, d -> b.udp().write(7, d.source(), d.sourcePort(), d.payload()));
            a.udp().listen(9000, replies::add);

            SplittableRandom random = new SplittableRandom(3);
            int[] sizes = {0, 1, 100, 1472, 1473, 8000, 30_000, 65_507};
            for (int size : sizes) {
                byte[] data = new byte[size];
                random.nextBytes(data);
                a.udp().write(9000, addressB, 7, ByteBufAllocator.DEFAULT.buffer(size).writeBytes(data));
                Datagram reply = replies.poll(10, TimeUnit.SECONDS);
                assertThat(reply).as("echo of %d bytes", size).isNotNull();
                ByteBuf payload = reply.payload();
                try {
                    assertThat(reply.source()).isEqualTo(addressB);
                    assertThat(reply.sourcePort()).isEqualTo(7);
                    assertThat(ByteBufUtil.getBytes(payload)).isEqualTo(data);
                } finally {
                    payload.release();
                }
            }
            assertThat(a.stats().totalDropped()).isZero();
            assertThat(b.stats().totalDropped()).isZero();
            assertThat(a.stats().ipv4().received()).isGreaterThan(sizes.length); // fragments counted one by one
        } finally {
            a.disconnect();
            b.disconnect();
            linkA.disconnect();
            linkB.disconnect();
            for (Datagram d; (d = replies.poll()) != null; ) d.payload().release();
        }
    }
}
