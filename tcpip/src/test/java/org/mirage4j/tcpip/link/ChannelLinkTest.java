package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.testing.TrackedHeapAllocator;

/** The in-memory link: frames in, frames out, wired pairs, bounds, and nothing leaked on disconnect. */
class ChannelLinkTest {

    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ChannelLink link(int capacity) {
        return new ChannelLink(MAC, 1500, capacity, TrackedHeapAllocator.INSTANCE);
    }

    /** Runs the link's listen loop on a thread of its own, collecting the bytes of each frame. */
    private static Thread listen(ChannelLink link, BlockingQueue<byte[]> into) {
        return Thread.ofPlatform().start(() -> link.listen(frame -> {
            into.add(ByteBufUtil.getBytes(frame));
            frame.release();
        }));
    }

    @Test
    void injectedFramesReachTheListenerInOrder() throws Exception {
        ChannelLink link = link(16);
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        Thread loop = listen(link, received);
        link.inject(new byte[] {1});
        link.inject(new byte[] {2, 2});
        assertThat(received.poll(10, TimeUnit.SECONDS)).containsExactly(1);
        assertThat(received.poll(10, TimeUnit.SECONDS)).containsExactly(2, 2);
        link.disconnect();
        assertThat(loop.join(WAIT)).isTrue();
        assertThat(link.stats()).isEqualTo(new NetworkStats(2, 3, 0, 0, 0, 0));
    }

    @Test
    void sentFramesWaitToBeRead() throws Exception {
        ChannelLink link = link(16);
        link.write(3, buf -> buf.writeBytes(new byte[] {7, 8, 9}));
        ByteBuf frame = link.read(WAIT);
        try {
            assertThat(ByteBufUtil.getBytes(frame)).containsExactly(7, 8, 9);
        } finally {
            frame.release();
        }
        assertThat(link.poll()).isNull();
        assertThat(link.stats().txPackets()).isEqualTo(1);
        assertThatThrownBy(() -> link.write(1515, buf -> {})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1514");
    }

    @Test
    void wiredLinksReceiveWhatTheOtherSends() throws Exception {
        ChannelLink a = link(16);
        ChannelLink b = new ChannelLink(MacAddress.parse("02:00:00:00:00:03"), 1500, 16, TrackedHeapAllocator.INSTANCE);
        ChannelLink.wire(a, b);
        BlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> atA = new LinkedBlockingQueue<>();
        Thread loopA = listen(a, atA);
        Thread loopB = listen(b, atB);
        a.write(1, buf -> buf.writeByte(1));
        b.write(1, buf -> buf.writeByte(2));
        assertThat(atB.poll(10, TimeUnit.SECONDS)).containsExactly(1);
        assertThat(atA.poll(10, TimeUnit.SECONDS)).containsExactly(2);
        a.disconnect();
        b.disconnect();
        assertThat(List.of(loopA.join(WAIT), loopB.join(WAIT))).containsOnly(true);
    }

    @Test
    void fullQueuesDropAndCountAndDisconnectReleasesWhatIsQueued() throws Exception {
        ChannelLink link = link(2);
        assertThat(link.inject(new byte[] {1})).isTrue();
        assertThat(link.inject(new byte[] {2})).isTrue();
        assertThat(link.inject(new byte[] {3})).isFalse();
        for (int i = 0; i < 3; i++) link.write(1, buf -> buf.writeByte(0));
        assertThat(link.sentQueued()).isEqualTo(2);
        assertThat(link.stats().rxDropped()).isEqualTo(1);
        assertThat(link.stats().txErrors()).isEqualTo(1);

        link.disconnect(); // releases the four queued frames: the leak check fails the test otherwise
        assertThat(link.inject(new byte[] {4})).isFalse();
        assertThatThrownBy(() -> link.write(1, buf -> buf.writeByte(0))).isInstanceOf(IOException.class);
        link.listen(frame -> { throw new AssertionError("no frame after disconnect"); }); // returns at once

        link.connect();
        assertThat(link.inject(new byte[] {5})).isTrue();
        assertThat(link.receiveQueued()).isEqualTo(1);
        link.disconnect();
    }
}
