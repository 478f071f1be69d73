package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.link.ChannelLink;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * A direct stack on a {@link ChannelLink} in virtual time, driven frame by frame from the test's thread: frames go
 * in through {@link #receive}, the time through {@link #advance}, and what the stack sent comes out of {@link #sent}.
 * The stack is 10.0.0.2/24 at 02:00:00:00:00:02; its peer on the link 10.0.0.1 at 02:00:00:00:00:01.
 */
final class StackFixture implements AutoCloseable {

    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final Ipv4Address OUR_IP = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Prefix PREFIX = Ipv4Prefix.parse("10.0.0.2/24");
    static final Duration WAIT = Duration.ofSeconds(10);

    final FakeClock clock = new FakeClock();
    final ChannelLink link;
    final DirectStack stack;

    StackFixture() {
        this("", ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT, DirectUdp.QUEUE_CAPACITY, 1500);
    }

    StackFixture(String gateway, ArpTable.Limits arp, Reassembler.Limits reassembly, int udpQueue, int mtu) {
        link = new ChannelLink(OUR_MAC, mtu, 1 << 16, TrackedHeapAllocator.INSTANCE);
        stack = new DirectStack(link, clock, new SeededRandom(42), new StaticIpv4Source(PREFIX, gateway), TrackedHeapAllocator.INSTANCE, arp,
                reassembly, udpQueue, false);
    }

    /** Connects the stack and takes the gratuitous ARP it announces itself with. */
    StackFixture connect() throws Exception {
        stack.connect();
        ArpRepr announcement = sent().arp();
        assertThat(announcement).isEqualTo(new ArpRepr(ArpOperation.REQUEST, OUR_MAC, OUR_IP, MacAddress.ZERO, OUR_IP));
        return this;
    }

    /** Connects, and teaches the stack the peer's MAC address as Linux would: by asking for ours. */
    StackFixture connectAndMeetPeer() throws Exception {
        connect();
        receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP))));
        assertThat(sent().arp().operation()).isEqualTo(ArpOperation.REPLY);
        return this;
    }

    /** Hands {@code frame} to the stack as the receive loop would, on this thread. */
    void receive(byte[] frame) {
        stack.receive(TrackedHeapAllocator.INSTANCE.heapBuffer(frame.length).writeBytes(frame));
    }

    /** Moves virtual time on by {@code by} and lets the stack's timers run. */
    void advance(Duration by) {
        stack.poll(clock.advance(by));
    }

    /** The next frame the stack sent; fails if there is none now. */
    Frames.Sent sent() {
        ByteBuf frame = link.poll();
        assertThat(frame).as("a frame sent by the stack").isNotNull();
        try {
            return Frames.read(frame);
        } finally {
            frame.release();
        }
    }

    /** The next frame the stack sent, waiting for it (for replies sent from a virtual thread). */
    Frames.Sent awaitSent() throws InterruptedException {
        ByteBuf frame = link.read(WAIT);
        assertThat(frame).as("a frame sent by the stack within " + WAIT).isNotNull();
        try {
            return Frames.read(frame);
        } finally {
            frame.release();
        }
    }

    /** Every frame sent and not read yet. */
    List<Frames.Sent> sentAll() {
        List<Frames.Sent> all = new ArrayList<>();
        for (ByteBuf frame; (frame = link.poll()) != null; ) {
            try {
                all.add(Frames.read(frame));
            } finally {
                frame.release();
            }
        }
        return all;
    }

    void assertNothingSent() {
        assertThat(sentAll()).isEmpty();
    }

    @Override
    public void close() {
        stack.disconnect();
        link.disconnect();
    }
}
