package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import dagger.BindsInstance;
import dagger.Component;
import io.netty.buffer.ByteBuf;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.link.ChannelLink;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/** The stack as a device: its keys, its lifecycle, its TCP's lifecycle, and its wiring. */
class DirectStackTest {

    private static DirectStack stack(String ipv4, String gateway) {
        return new DirectStack(new ChannelLink(OUR_MAC), new FakeClock(), new SeededRandom(1),
                new StaticIpv4Source(Ipv4Prefix.parse(ipv4), gateway));
    }

    /** Connects a stack with the keys {@code ipv4} and {@code gateway}, expecting it to fail; returns the failure. */
    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> connecting(String ipv4, String gateway) {
        ChannelLink link = new ChannelLink(OUR_MAC);
        DirectStack stack = new DirectStack(link, new FakeClock(), new SeededRandom(1), new StaticIpv4Source(Ipv4Prefix.parse(ipv4), gateway));
        try {
            return assertThatThrownBy(stack::connect);
        } finally {
            link.disconnect(); // ends the receive loop the failed connect started
        }
    }

    @Test
    void wrongKeysAreOneSentenceFromConnect() {
        connecting("10.0.0.2/24", "router").isInstanceOf(DeviceException.class)
                .hasMessage("--ipv4-gateway='router' is not an IPv4 address such as 10.0.0.1: give the gateway's address, or leave it empty for none.");
        connecting("10.0.0.2/24", "192.168.1.1").isInstanceOf(DeviceException.class)
                .hasMessage("--ipv4-gateway=192.168.1.1 is not another host on the link of --ipv4=10.0.0.2/24:"
                        + " give the address of a router inside 10.0.0.0/24, or leave it empty for none.");
        connecting("10.0.0.0/24", "").isInstanceOf(DeviceException.class)
                .hasMessage("--ipv4=10.0.0.0/24 is not an address a host can have on its link: give one such as 10.0.0.2/24.");
        connecting("0.0.0.0/0", "").isInstanceOf(DeviceException.class);
    }

    @Test
    void tcpBeforeConnectAndAfterDisconnectSaysWhatToDo() throws Exception {
        DirectStack stack = stack("10.0.0.2/24", "10.0.0.1");
        assertThatThrownBy(() -> stack.tcp().listen(80, flow -> {})).isInstanceOf(SocketException.class)
                .hasMessage("The direct stack is not connected yet: connect() it before using TCP.");
        try (StackFixture f = new StackFixture().connect()) {
            f.stack.disconnect();
            assertThatThrownBy(() -> f.stack.tcp().connect(PEER_IP, 80)).isInstanceOf(SocketException.class)
                    .hasMessage("The direct stack is disconnected: connect a new stack to use TCP again.");
        }
    }

    @Test
    void listenReturnsOnDisconnectAndLaterFramesAreDropped() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            Thread listener = Thread.ofVirtual().start(() -> {
                try {
                    f.stack.listen();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(listener.join(java.time.Duration.ofMillis(100))).isFalse();
            f.stack.disconnect();
            assertThat(listener.join(StackFixture.WAIT)).isTrue();
            f.stack.disconnect(); // idempotent

            f.receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                    Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP))));
            f.assertNothingSent();
            assertThat(f.stack.stats().stack().dropped(DropReason.STOPPED)).isEqualTo(1);
            assertThatThrownBy(f.stack::connect).isInstanceOf(IllegalStateException.class);
            assertThat(f.stack.addresses()).containsExactly(OUR_IP);
        }
    }

    @Test
    void aBugWhileHandlingAFrameIsCaughtCountedAndTheStackGoesOn() throws Exception {
        FlakyNetwork network = new FlakyNetwork(new ChannelLink(OUR_MAC, 1500, 64, TrackedHeapAllocator.INSTANCE));
        DirectStack stack = new DirectStack(network, new FakeClock(), new SeededRandom(1), new StaticIpv4Source(StackFixture.PREFIX, ""),
                TrackedHeapAllocator.INSTANCE, ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT, 16, false);
        stack.connect();
        try {
            network.link.poll().release(); // the announcement
            byte[] request = Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                    Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP)));
            network.failing.set(true);
            stack.receive(TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(request));
            assertThat(stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).isEqualTo(1);

            network.failing.set(false);
            stack.receive(TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(request));
            ByteBuf reply = network.link.poll();
            try {
                assertThat(Frames.read(reply).arp().operation()).isEqualTo(ArpOperation.REPLY);
            } finally {
                reply.release();
            }
        } finally {
            stack.disconnect();
            network.link.disconnect();
        }
    }

    /** A network whose {@code mac()} throws on demand: a stand-in for a bug inside the stack. */
    private static final class FlakyNetwork implements Network {
        final ChannelLink link;
        final AtomicBoolean failing = new AtomicBoolean();

        FlakyNetwork(ChannelLink link) {
            this.link = link;
        }

        @Override
        public MacAddress mac() {
            if (failing.get()) throw new IllegalStateException("a bug");
            return link.mac();
        }

        @Override
        public int mtu() {
            return link.mtu();
        }

        @Override
        public void listen(Consumer<ByteBuf> handler) {
            link.listen(handler);
        }

        @Override
        public void write(int size, Consumer<ByteBuf> filler) throws IOException {
            link.write(size, filler);
        }

        @Override
        public NetworkStats stats() {
            return link.stats();
        }
    }

    @Singleton
    @Component(modules = {DirectStackModule.class, StaticIpv4Module.class})
    interface DirectNetwork {
        StackV4V6 stack();

        @Component.Factory
        interface Factory {
            DirectNetwork create(@BindsInstance Network network, @BindsInstance MonotonicClock clock, @BindsInstance Random random,
                    @BindsInstance @Key("ipv4") Ipv4Prefix ipv4, @BindsInstance @Key("ipv4-gateway") String gateway,
                    @BindsInstance @Key("pcap") String pcap, @BindsInstance @Key("faults") String faults,
                    @BindsInstance @Key("tcp-congestion") String congestion, @BindsInstance @Key("tcp-nodelay") boolean noDelay);
        }
    }

    @Test
    void daggerWiresOneDirectStackFromItsModuleAndKeys() throws Exception {
        ChannelLink link = new ChannelLink(OUR_MAC);
        DirectNetwork wired = DaggerDirectStackTest_DirectNetwork.factory()
                .create(link, new FakeClock(), new SeededRandom(1), StackFixture.PREFIX, "10.0.0.1", "", "", "cubic", false);
        assertThat(wired.stack()).isInstanceOf(DirectStack.class).isSameAs(wired.stack());
        assertThat(wired.stack().addresses()).as("no address before connect").isEmpty();
        try {
            wired.stack().connect();
            assertThat(wired.stack().addresses()).containsExactly(OUR_IP);
        } finally {
            wired.stack().disconnect();
            link.disconnect();
        }
    }

    @Test
    void pcapAndFaultsKeysDecorateTheLinkAndABadSpecIsOneSentence(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path capture = dir.resolve("stack.pcap");
        ChannelLink link = new ChannelLink(OUR_MAC);
        DirectNetwork wired = DaggerDirectStackTest_DirectNetwork.factory()
                .create(link, new FakeClock(), new SeededRandom(1), StackFixture.PREFIX, "", capture.toString(), "drop=0,seed=7", "newreno", true);
        try {
            wired.stack().connect(); // sends a gratuitous ARP, which the capture must hold
        } finally {
            wired.stack().disconnect();
            link.disconnect();
        }
        byte[] pcap = java.nio.file.Files.readAllBytes(capture);
        assertThat(pcap.length).as("a pcap header and the gratuitous ARP's record").isGreaterThanOrEqualTo(24 + 16 + 42);

        assertThatThrownBy(() -> DaggerDirectStackTest_DirectNetwork.factory()
                        .create(new ChannelLink(OUR_MAC), new FakeClock(), new SeededRandom(1), StackFixture.PREFIX, "", "", "drop=2", "cubic", false).stack())
                .isInstanceOf(java.io.UncheckedIOException.class)
                .cause().isInstanceOf(org.mirage4j.api.DeviceException.class).hasMessageStartingWith("--faults:");
        assertThatThrownBy(() -> DaggerDirectStackTest_DirectNetwork.factory()
                        .create(new ChannelLink(OUR_MAC), new FakeClock(), new SeededRandom(1), StackFixture.PREFIX, "", "", "", "bbr", false).stack())
                .isInstanceOf(java.io.UncheckedIOException.class)
                .cause().isInstanceOf(org.mirage4j.api.DeviceException.class)
                .hasMessage("There is no TCP congestion control called \"bbr\"; use --tcp-congestion=cubic or --tcp-congestion=newreno.");
    }
}
