package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dagger.BindsInstance;
import dagger.Component;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import jakarta.inject.Singleton;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.link.ChannelLink;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpPacket;
import org.mirage4j.tcpip.wire.DhcpRepr;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * The direct stack with its address from DHCP, over a {@link ChannelLink} in virtual time: the test plays the
 * DHCP server (10.0.0.1 at 02:00:00:00:00:01) and pings the stack through the lease's changes.
 */
class DhcpStackTest {

    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress SERVER_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address OFFERED = Ipv4Address.parse("10.0.0.135");
    private static final Ipv4Address OTHER = Ipv4Address.parse("10.0.0.77");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SECOND = 1_000_000_000L;

    private final FakeClock clock = new FakeClock();
    private final ChannelLink link = new ChannelLink(OUR_MAC, 1500, 1 << 16, TrackedHeapAllocator.INSTANCE);
    private final DhcpIpv4Source source = new DhcpIpv4Source(new SeededRandom(3), WAIT);
    private final DirectStack stack = new DirectStack(link, clock, new SeededRandom(4), source, TrackedHeapAllocator.INSTANCE,
            ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT, DirectUdp.QUEUE_CAPACITY, false);
    private final AtomicReference<Throwable> connectFailure = new AtomicReference<>();
    private int ipId;
    private long boundAt;

    @AfterEach
    void close() {
        stack.disconnect();
        link.disconnect();
    }

    // ---- the server's and the clock's side

    /** Connects the stack on a virtual thread, since connect() waits for the lease. */
    private Thread connecting() {
        return Thread.ofVirtual().start(() -> {
            try {
                stack.connect();
            } catch (Throwable e) {
                connectFailure.set(e);
            }
        });
    }

    private Frames.Sent sent() throws InterruptedException {
        ByteBuf frame = link.read(WAIT);
        assertThat(frame).as("a frame sent by the stack within " + WAIT).isNotNull();
        try {
            return Frames.read(frame);
        } finally {
            frame.release();
        }
    }

    private void assertNothingSent() {
        ByteBuf frame = link.poll();
        if (frame != null) {
            String hex = ByteBufUtil.hexDump(frame);
            frame.release();
            throw new AssertionError("the stack sent " + hex);
        }
    }

    /** The DHCP message in a sent frame, after checking that it went from port 68 to port 67. */
    private static DhcpRepr dhcp(Frames.Sent sent) {
        Frames.Udp udp = sent.udp();
        assertThat(udp.sourcePort()).isEqualTo(68);
        assertThat(udp.destinationPort()).isEqualTo(67);
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(udp.data());
        try {
            DhcpPacket view = new DhcpPacket();
            assertThat(view.wrap(buf)).isNull();
            return DhcpRepr.parse(view).valueOrNull();
        } finally {
            buf.release();
        }
    }

    /** The server sends {@code reply} to {@code destination}, at {@code mac}. */
    private void serverSends(Ipv4Address destination, MacAddress mac, DhcpRepr reply) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer();
        byte[] data;
        try {
            reply.emit(buf);
            data = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        receive(udpFrame(destination, mac, 67, 68, data));
    }

    /** A UDP datagram from the server to {@code destination}, at {@code mac}. */
    private byte[] udpFrame(Ipv4Address destination, MacAddress mac, int sourcePort, int destinationPort, byte[] data) {
        byte[] udp = Frames.udp(SERVER, destination, sourcePort, destinationPort, data);
        return Frames.ipv4Frame(SERVER_MAC, mac, Frames.header(SERVER, destination, IpProtocol.UDP, udp.length, ++ipId), udp);
    }

    private void receive(byte[] frame) {
        stack.receive(TrackedHeapAllocator.INSTANCE.heapBuffer(frame.length).writeBytes(frame));
    }

    private void advanceTo(long at) {
        long by = at - clock.elapsedNanos();
        stack.poll(clock.advance(Duration.ofNanos(by)));
    }

    private static DhcpRepr.Builder reply(DhcpMessageType type, DhcpRepr request, Ipv4Address address, long lease) {
        return DhcpRepr.builder(type, request.transactionId(), OUR_MAC).yourIp(address).serverIdentifier(SERVER)
                .times(lease, 10, 20).subnetMask(Ipv4Address.parse("255.255.255.0")).routers(List.of(SERVER));
    }

    /** Connects the stack and gives it {@code address} for 120 s (T1 10 s, T2 20 s); returns the announcement. */
    private ArpRepr bind(Ipv4Address address) throws Exception {
        Thread connect = connecting();
        DhcpRepr discover = dhcp(sent());
        serverSends(address, OUR_MAC, reply(DhcpMessageType.OFFER, discover, address, 120).build());
        DhcpRepr request = dhcp(sent());
        boundAt = clock.elapsedNanos();
        serverSends(address, OUR_MAC, reply(DhcpMessageType.ACK, request, address, 120).build());
        assertThat(connect.join(WAIT)).as("connect() returns once there is a lease").isTrue();
        assertThat(connectFailure.get()).isNull();
        return sent().arp();
    }

    /** The server asks for our MAC address, as Linux does before it sends to us; we answer. */
    private void serverMeetsUs(Ipv4Address ours) throws InterruptedException {
        receive(Frames.ethernet(SERVER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                Frames.arp(new ArpRepr(ArpOperation.REQUEST, SERVER_MAC, SERVER, MacAddress.ZERO, ours))));
        assertThat(sent().arp().operation()).isEqualTo(ArpOperation.REPLY);
    }

    /** The server pings {@code address}; true if the stack answered from it. */
    private boolean pingAnswered(Ipv4Address address) {
        byte[] icmp = Frames.icmp(new Icmpv4Repr.EchoRequest(0x4242, ++ipId, Octets.of("ping".getBytes(StandardCharsets.US_ASCII))));
        receive(Frames.ipv4Frame(SERVER_MAC, OUR_MAC, Frames.header(SERVER, address, IpProtocol.ICMP, icmp.length, ipId), icmp));
        ByteBuf frame = link.poll();
        if (frame == null) return false;
        try {
            Frames.Sent reply = Frames.read(frame);
            assertThat(reply.ipv4().source()).isEqualTo(address);
            assertThat(reply.icmp()).isInstanceOf(Icmpv4Repr.EchoReply.class);
            return true;
        } finally {
            frame.release();
        }
    }

    // ---- the tests

    @Test
    void connectWaitsForTheLeaseAndTheStackTalksOnlyDhcpUntilThen() throws Exception {
        Thread connect = connecting();
        Frames.Sent discoverFrame = sent();
        assertThat(discoverFrame.ethernet()).isEqualTo(new EthernetRepr(OUR_MAC, MacAddress.BROADCAST, EtherType.IPV4));
        assertThat(discoverFrame.ipv4().source()).as("RFC 2131 section 4.1").isEqualTo(Ipv4Address.ANY);
        assertThat(discoverFrame.ipv4().destination()).isEqualTo(Ipv4Address.BROADCAST);
        DhcpRepr discover = dhcp(discoverFrame);
        assertThat(discover.messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(discover.clientMac()).isEqualTo(OUR_MAC);

        // No address yet: pings and datagrams to the address being offered are dropped, and nothing but DHCP goes out.
        assertThat(stack.addresses()).isEmpty();
        assertThat(pingAnswered(OFFERED)).isFalse();
        receive(udpFrame(OFFERED, OUR_MAC, 40_000, 7, "x".getBytes(StandardCharsets.US_ASCII)));
        assertNothingSent();
        assertThatThrownBy(() -> stack.udp().write(SERVER, 7, TrackedHeapAllocator.INSTANCE.heapBuffer().writeByte(1)))
                .isInstanceOf(NoRouteToHostException.class).hasMessageContaining("no IPv4 address yet");
        assertThatThrownBy(() -> stack.udp().write(Ipv4Address.BROADCAST, 7, TrackedHeapAllocator.INSTANCE.heapBuffer().writeByte(1)))
                .isInstanceOf(NoRouteToHostException.class);
        assertThatThrownBy(() -> stack.udp().listen(68, d -> d.payload().release())).isInstanceOf(IllegalArgumentException.class);
        assertThat(connect.isAlive()).isTrue();

        // dnsmasq unicasts the OFFER to the address it offers, at our MAC address.
        serverSends(OFFERED, OUR_MAC, reply(DhcpMessageType.OFFER, discover, OFFERED, 120).build());
        Frames.Sent requestFrame = sent();
        assertThat(requestFrame.ipv4().source()).isEqualTo(Ipv4Address.ANY);
        DhcpRepr request = dhcp(requestFrame);
        assertThat(request.messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(request.requestedIp()).isEqualTo(OFFERED);

        serverSends(OFFERED, OUR_MAC, reply(DhcpMessageType.ACK, request, OFFERED, 120).build());
        assertThat(connect.join(WAIT)).isTrue();
        assertThat(connectFailure.get()).isNull();
        assertThat(sent().arp()).as("the new address announced")
                .isEqualTo(new ArpRepr(ArpOperation.REQUEST, OUR_MAC, OFFERED, MacAddress.ZERO, OFFERED));
        assertThat(stack.addresses()).containsExactly(OFFERED);
        assertThat(stack.ipv4().prefix().length()).isEqualTo(24);

        serverMeetsUs(OFFERED);
        assertThat(pingAnswered(OFFERED)).isTrue();
        assertThat(source.stats().acks()).isEqualTo(1);
    }

    /** A broadcast ACK (a server that honours the broadcast flag, or dnsmasq's NAK) reaches the client too. */
    @Test
    void broadcastRepliesWorkToo() throws Exception {
        Thread connect = connecting();
        DhcpRepr discover = dhcp(sent());
        serverSends(Ipv4Address.BROADCAST, MacAddress.BROADCAST, reply(DhcpMessageType.OFFER, discover, OFFERED, 120).build());
        DhcpRepr request = dhcp(sent());
        serverSends(Ipv4Address.BROADCAST, MacAddress.BROADCAST, reply(DhcpMessageType.ACK, request, OFFERED, 120).build());
        assertThat(connect.join(WAIT)).isTrue();
        assertThat(stack.addresses()).containsExactly(OFFERED);
    }

    @Test
    void aRenewalThatChangesNothingKeepsTrafficFlowing() throws Exception {
        bind(OFFERED);
        serverMeetsUs(OFFERED);

        advanceTo(boundAt + 10 * SECOND);
        Frames.Sent renewalFrame = sent();
        assertThat(renewalFrame.ethernet().destination()).as("unicast to the server, whose MAC ARP learned").isEqualTo(SERVER_MAC);
        assertThat(renewalFrame.ipv4().source()).isEqualTo(OFFERED);
        assertThat(renewalFrame.ipv4().destination()).isEqualTo(SERVER);
        DhcpRepr renewal = dhcp(renewalFrame);
        assertThat(renewal.clientIp()).isEqualTo(OFFERED);
        assertThat(source.lease()).isNotNull();
        assertThat(pingAnswered(OFFERED)).as("traffic while renewing").isTrue();

        serverSends(OFFERED, OUR_MAC, reply(DhcpMessageType.ACK, renewal, OFFERED, 120).build());
        assertNothingSent(); // no announcement: the address did not change
        assertThat(stack.addresses()).containsExactly(OFFERED);
        assertThat(pingAnswered(OFFERED)).as("traffic after renewing").isTrue();
        assertThat(source.stats().acks()).isEqualTo(2);
    }

    @Test
    void expiryDropsTheAddressAndANewLeaseReconfiguresTheStack() throws Exception {
        bind(OFFERED);
        serverMeetsUs(OFFERED);

        advanceTo(boundAt + 10 * SECOND);
        assertThat(dhcp(sent()).messageType()).as("renewing").isEqualTo(DhcpMessageType.REQUEST);
        advanceTo(boundAt + 20 * SECOND);
        Frames.Sent rebinding = sent();
        assertThat(rebinding.ipv4().destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(rebinding.ipv4().source()).isEqualTo(OFFERED);
        advanceTo(boundAt + 80 * SECOND);
        assertThat(dhcp(sent()).messageType()).as("rebinding again").isEqualTo(DhcpMessageType.REQUEST);
        serverMeetsUs(OFFERED); // ARP forgot the server after 60 s
        assertThat(pingAnswered(OFFERED)).as("the address is ours until the lease expires").isTrue();

        advanceTo(boundAt + 120 * SECOND);
        Frames.Sent discoverFrame = sent();
        assertThat(discoverFrame.ipv4().source()).as("no address any more").isEqualTo(Ipv4Address.ANY);
        DhcpRepr discover = dhcp(discoverFrame);
        assertThat(discover.messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(discover.requestedIp()).isEqualTo(OFFERED);
        assertThat(stack.addresses()).isEmpty();
        assertThat(pingAnswered(OFFERED)).isFalse();
        assertThat(source.stats().expired()).isEqualTo(1);

        serverSends(OTHER, OUR_MAC, reply(DhcpMessageType.OFFER, discover, OTHER, 120).build());
        DhcpRepr request = dhcp(sent());
        serverSends(OTHER, OUR_MAC, reply(DhcpMessageType.ACK, request, OTHER, 120).build());
        assertThat(sent().arp()).isEqualTo(new ArpRepr(ArpOperation.REQUEST, OUR_MAC, OTHER, MacAddress.ZERO, OTHER));
        assertThat(stack.addresses()).containsExactly(OTHER);
        assertThat(pingAnswered(OTHER)).isTrue();
        assertThat(pingAnswered(OFFERED)).isFalse();
    }

    @Test
    void malformedAndForeignRepliesAreCountedAndDropped() throws Exception {
        Thread connect = connecting();
        DhcpRepr discover = dhcp(sent());
        receive(udpFrame(OFFERED, OUR_MAC, 67, 68, new byte[100]));
        serverSends(OFFERED, OUR_MAC, DhcpRepr.builder(DhcpMessageType.OFFER, discover.transactionId() + 1, OUR_MAC)
                .yourIp(OFFERED).serverIdentifier(SERVER).build());
        assertNothingSent();
        assertThat(source.stats().malformed()).isEqualTo(1);
        assertThat(source.stats().ignored()).isEqualTo(1);
        assertThat(stack.stats().stack().dropped(DropReason.INTERNAL_ERROR)).isZero();

        serverSends(OFFERED, OUR_MAC, reply(DhcpMessageType.OFFER, discover, OFFERED, 120).build());
        assertThat(dhcp(sent()).messageType()).isEqualTo(DhcpMessageType.REQUEST);
        stack.disconnect();
        assertThat(connect.join(WAIT)).isTrue();
        assertThat(connectFailure.get()).isInstanceOf(DeviceException.class)
                .hasMessage("The stack was disconnected before a DHCP server answered.");
    }

    @Test
    void withoutAServerConnectFailsWithOneSentence() {
        ChannelLink quiet = new ChannelLink(OUR_MAC, 1500, 64, TrackedHeapAllocator.INSTANCE);
        DirectStack alone = new DirectStack(quiet, clock, new SeededRandom(5), new DhcpIpv4Source(new SeededRandom(6), Duration.ofMillis(200)));
        try {
            assertThatThrownBy(alone::connect).isInstanceOf(DeviceException.class).hasMessage(
                    "No DHCP server answered on the link of 02:00:00:00:00:02 within 200 ms: check the server, or give a static --ipv4.");
        } finally {
            alone.disconnect();
            quiet.disconnect();
        }
        DirectStack zero = new DirectStack(quiet, clock, new SeededRandom(5), new DhcpIpv4Source(new SeededRandom(6), Duration.ZERO));
        assertThatThrownBy(zero::connect).isInstanceOf(DeviceException.class)
                .hasMessage("--dhcp-timeout=PT0S is not a positive duration: give one such as 30s.");
    }

    @Singleton
    @Component(modules = {DirectStackModule.class, DhcpIpv4Module.class})
    interface DhcpNetwork {
        StackV4V6 stack();

        @Component.Factory
        interface Factory {
            DhcpNetwork create(@BindsInstance Network network, @BindsInstance MonotonicClock clock, @BindsInstance Random random,
                    @BindsInstance @Key("dhcp-timeout") Duration timeout,
                    @BindsInstance @Key("pcap") String pcap, @BindsInstance @Key("faults") String faults,
                    @BindsInstance @Key("tcp-congestion") String congestion, @BindsInstance @Key("tcp-nodelay") boolean noDelay);
        }
    }

    @Test
    void daggerWiresTheDirectStackWithDhcp() throws Exception {
        ChannelLink wiredLink = new ChannelLink(OUR_MAC, 1500, 64, TrackedHeapAllocator.INSTANCE);
        DhcpNetwork wired = DaggerDhcpStackTest_DhcpNetwork.factory().create(wiredLink, clock, new SeededRandom(8), Duration.ofMillis(100), "", "", "cubic", false);
        try {
            assertThat(wired.stack()).isInstanceOf(DirectStack.class).isSameAs(wired.stack());
            assertThatThrownBy(wired.stack()::connect).isInstanceOf(DeviceException.class).hasMessageContaining("No DHCP server answered");
            ByteBuf discover = wiredLink.poll();
            try {
                assertThat(dhcp(Frames.read(discover)).messageType()).isEqualTo(DhcpMessageType.DISCOVER);
            } finally {
                discover.release();
            }
        } finally {
            wired.stack().disconnect();
            wiredLink.disconnect();
        }
    }
}
