package org.mirage4j.tcpip.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpRepr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * The client driven message by message in virtual time, through every transition: the test plays the server and
 * the clock. Transaction ids come from {@link ScriptedRandom} (0x1000, 0x1001, ...), and the jitter is zero unless a
 * test says otherwise.
 */
class DhcpClientTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_000 * SECOND;
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress OTHER_MAC = MacAddress.parse("02:00:00:00:00:09");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address OTHER_SERVER = Ipv4Address.parse("10.0.0.254");
    private static final Ipv4Address OFFERED = Ipv4Address.parse("10.0.0.135");
    private static final Ipv4Address MASK = Ipv4Address.parse("255.255.255.0");
    private static final Ipv4Prefix LEASED = new Ipv4Prefix(OFFERED, 24);

    private final ScriptedRandom random = new ScriptedRandom();
    private final DhcpClient client = new DhcpClient(MAC, random);
    private long now = T0;
    private long deadline;

    // ---- the test's side of the conversation

    private DhcpClient.Actions start() {
        DhcpClient.Actions actions = new DhcpClient.Actions();
        client.start(now, actions);
        deadline = client.poll(now, new DhcpClient.Actions());
        return actions;
    }

    /** Moves the clock to {@code time} and polls. */
    private DhcpClient.Actions pollAt(long time) {
        now = time;
        DhcpClient.Actions actions = new DhcpClient.Actions();
        deadline = client.poll(now, actions);
        return actions;
    }

    private DhcpClient.Actions receive(DhcpRepr reply) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            reply.emit(buf);
            return receive(buf);
        } finally {
            buf.release();
        }
    }

    private DhcpClient.Actions receive(ByteBuf payload) {
        DhcpClient.Actions actions = new DhcpClient.Actions();
        client.input(payload, now, actions);
        deadline = client.poll(now, new DhcpClient.Actions());
        return actions;
    }

    private static DhcpClient.Transmission only(DhcpClient.Actions actions) {
        assertThat(actions.transmissions()).hasSize(1);
        return actions.transmissions().getFirst();
    }

    private static DhcpRepr.Builder reply(DhcpMessageType type, int xid) {
        return DhcpRepr.builder(type, xid, MAC).yourIp(OFFERED).serverIdentifier(SERVER);
    }

    private static DhcpRepr offer(int xid) {
        return reply(DhcpMessageType.OFFER, xid).times(3600, -1, -1).subnetMask(MASK).routers(List.of(SERVER)).build();
    }

    private static DhcpRepr ack(int xid, long lease, long t1, long t2) {
        return reply(DhcpMessageType.ACK, xid).times(lease, t1, t2).subnetMask(MASK).routers(List.of(SERVER))
                .dnsServers(List.of(SERVER)).build();
    }

    private static DhcpRepr nak(int xid) {
        return DhcpRepr.builder(DhcpMessageType.NAK, xid, MAC).serverIdentifier(SERVER).message("address not available").build();
    }

    /** Discovers and binds a lease of {@code lease} seconds with T1 {@code t1} and T2 {@code t2} (-1: defaults), at T0. */
    private Lease bind(long lease, long t1, long t2) {
        int xid = only(start()).message().transactionId();
        only(receive(offer(xid)));
        DhcpClient.Actions acked = receive(ack(xid, lease, t1, t2));
        assertThat(acked.event()).isInstanceOf(DhcpClient.LeaseEvent.Obtained.class);
        return client.lease();
    }

    // ---- SELECTING

    @Test
    void startBroadcastsADiscover() {
        DhcpClient.Transmission sent = only(start());
        assertThat(sent.destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(sent.message()).isEqualTo(DhcpRepr.builder(DhcpMessageType.DISCOVER, 0x1000, MAC)
                .clientIdentifier(Octets.of((byte) 1, (byte) 2, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 2))
                .parameterRequestList(Octets.of((byte) 1, (byte) 3, (byte) 6, (byte) 51, (byte) 54, (byte) 58, (byte) 59))
                .build());
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(client.lease()).isNull();
        assertThatThrownBy(() -> client.start(now, new DhcpClient.Actions())).isInstanceOf(IllegalStateException.class);
    }

    /** RFC 2131 section 4.1: retransmit after 4, 8, 16, 32 and then 64 seconds, with the same xid and a growing secs. */
    @Test
    void discoverIsRetransmittedWithExponentialBackoff() {
        start();
        long sentAt = T0;
        for (long wait : new long[] {4, 8, 16, 32, 64, 64, 64}) {
            assertThat(deadline).isEqualTo(sentAt + wait * SECOND);
            assertThat(pollAt(deadline - 1).transmissions()).as("nothing before the deadline").isEmpty();
            DhcpRepr again = only(pollAt(deadline)).message();
            assertThat(again.messageType()).isEqualTo(DhcpMessageType.DISCOVER);
            assertThat(again.transactionId()).isEqualTo(0x1000);
            assertThat(again.secs()).isEqualTo((int) ((now - T0) / SECOND));
            sentAt = now;
        }
        assertThat(client.stats().sent()).isEqualTo(8);
    }

    /** The random part of each wait stays within one second either way. */
    @Property(tries = 50)
    void retransmissionJitterIsWithinASecond(Gen gen) {
        DhcpClient jittery = new DhcpClient(MAC, new ScriptedRandom(gen.seed()));
        DhcpClient.Actions ignored = new DhcpClient.Actions();
        jittery.start(T0, ignored);
        long sentAt = T0;
        for (long wait : new long[] {4, 8, 16, 32, 64, 64}) {
            long next = jittery.poll(sentAt, ignored);
            assertThat(next - sentAt).isBetween((wait - 1) * SECOND, (wait + 1) * SECOND);
            jittery.poll(next, ignored);
            sentAt = next;
        }
    }

    @Test
    void theFirstOfferIsRequestedAndLaterOnesAreIgnored() {
        start();
        DhcpClient.Transmission request = only(receive(offer(0x1000)));
        assertThat(request.destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(request.message().messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(request.message().transactionId()).isEqualTo(0x1000);
        assertThat(request.message().serverIdentifier()).isEqualTo(SERVER);
        assertThat(request.message().requestedIp()).isEqualTo(OFFERED);
        assertThat(request.message().clientIp()).isEqualTo(Ipv4Address.ANY);
        assertThat(client.state()).isEqualTo(DhcpState.REQUESTING);

        DhcpRepr second = offer(0x1000).toBuilder().serverIdentifier(OTHER_SERVER).yourIp(Ipv4Address.parse("10.0.0.77")).build();
        assertThat(receive(second).transmissions()).isEmpty();
        assertThat(client.stats().offers()).isEqualTo(1);
        assertThat(client.stats().ignored()).isEqualTo(1);
    }

    @Test
    void anOfferWithoutServerIdentifierOrWithAnAddressNoHostMayHaveIsIgnored() {
        start();
        assertThat(receive(offer(0x1000).toBuilder().serverIdentifier(null).build()).transmissions()).isEmpty();
        assertThat(receive(offer(0x1000).toBuilder().yourIp(Ipv4Address.ANY).build()).transmissions()).isEmpty();
        assertThat(receive(offer(0x1000).toBuilder().yourIp(Ipv4Address.parse("224.0.0.5")).build()).transmissions()).isEmpty();
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(client.stats().ignored()).isEqualTo(3);
    }

    @Test
    void repliesForAnotherTransactionOrClientAreIgnored() {
        start();
        assertThat(receive(offer(0x0999)).transmissions()).isEmpty();
        assertThat(receive(offer(0x1000).toBuilder().build()).transmissions()).hasSize(1); // the right one still works
        DhcpRepr othersAck = DhcpRepr.builder(DhcpMessageType.ACK, 0x1000, OTHER_MAC).yourIp(OFFERED).serverIdentifier(SERVER)
                .times(3600, -1, -1).subnetMask(MASK).build();
        assertThat(receive(othersAck).event()).isNull();
        DhcpRepr clientsRequest = DhcpRepr.builder(DhcpMessageType.REQUEST, 0x1000, MAC).build();
        assertThat(receive(clientsRequest).event()).as("another client's broadcast, or our own echoed").isNull();
        assertThat(client.state()).isEqualTo(DhcpState.REQUESTING);
        assertThat(client.stats().ignored()).isEqualTo(3);
    }

    @Test
    void malformedMessagesAreCountedAndDropped() {
        start();
        ByteBuf truncated = TrackedHeapAllocator.INSTANCE.heapBuffer().writeZero(100);
        ByteBuf noCookie = TrackedHeapAllocator.INSTANCE.heapBuffer().writeZero(300);
        try {
            assertThat(receive(truncated).transmissions()).isEmpty();
            assertThat(receive(noCookie).transmissions()).isEmpty();
            assertThat(truncated.readerIndex()).as("the caller's buffer is left alone").isZero();
        } finally {
            truncated.release();
            noCookie.release();
        }
        assertThat(client.stats().malformed()).isEqualTo(2);
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(only(receive(offer(0x1000))).message().messageType()).isEqualTo(DhcpMessageType.REQUEST);
    }

    // ---- REQUESTING

    @Test
    void anAckBindsWithDefaultTimes() {
        Lease lease = bind(3600, -1, -1);
        assertThat(client.state()).isEqualTo(DhcpState.BOUND);
        assertThat(lease.address()).isEqualTo(LEASED);
        assertThat(lease.gateway()).isEqualTo(SERVER);
        assertThat(lease.dnsServers()).containsExactly(SERVER);
        assertThat(lease.server()).isEqualTo(SERVER);
        assertThat(lease.leaseSeconds()).isEqualTo(3600);
        assertThat(lease.renewalSeconds()).as("T1 = 0.5 lease").isEqualTo(1800);
        assertThat(lease.rebindingSeconds()).as("T2 = 0.875 lease").isEqualTo(3150);
        assertThat(lease.start()).as("counted from the REQUEST").isEqualTo(T0);
        assertThat(deadline).isEqualTo(T0 + 1800 * SECOND);
        assertThat(client.stats().acks()).isEqualTo(1);
    }

    @Test
    void anAckBindsWithTheServersTimes() {
        Lease lease = bind(120, 10, 20);
        assertThat(lease.renewalSeconds()).isEqualTo(10);
        assertThat(lease.rebindingSeconds()).isEqualTo(20);
        assertThat(deadline).isEqualTo(T0 + 10 * SECOND);
        assertThat(pollAt(T0 + 10 * SECOND - 1).transmissions()).as("bound until T1").isEmpty();
    }

    @Test
    void anAckFromAnotherServerOrWithoutALeaseTimeOrMaskIsIgnored() {
        start();
        receive(offer(0x1000));
        assertThat(receive(ack(0x1000, 3600, -1, -1).toBuilder().serverIdentifier(OTHER_SERVER).build()).event()).isNull();
        assertThat(receive(ack(0x1000, -1, -1, -1)).event()).isNull();
        assertThat(receive(ack(0x1000, 3600, -1, -1).toBuilder().subnetMask(null).build()).event()).isNull();
        assertThat(receive(ack(0x1000, 3600, -1, -1).toBuilder().subnetMask(Ipv4Address.parse("255.0.255.0")).build()).event()).isNull();
        assertThat(client.state()).isEqualTo(DhcpState.REQUESTING);
        assertThat(client.stats().ignored()).isEqualTo(4);
        assertThat(receive(ack(0x1000, 3600, -1, -1)).event()).isInstanceOf(DhcpClient.LeaseEvent.Obtained.class);
    }

    @Test
    void aNakMakesTheClientDiscoverAgainWithANewTransaction() {
        start();
        receive(offer(0x1000));
        DhcpRepr discover = only(receive(nak(0x1000))).message();
        assertThat(discover.messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(discover.transactionId()).isEqualTo(0x1001);
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(client.stats().naks()).isEqualTo(1);
        assertThat(receive(offer(0x1000)).transmissions()).as("the old transaction is over").isEmpty();
    }

    /** RFC 2131 section 4.4.1: no answer after the retransmissions, back to discovering. */
    @Test
    void unansweredRequestsMakeTheClientDiscoverAgain() {
        start();
        receive(offer(0x1000));
        for (long wait : new long[] {4, 8, 16}) {
            DhcpRepr again = only(pollAt(now + wait * SECOND)).message();
            assertThat(again.messageType()).isEqualTo(DhcpMessageType.REQUEST);
            assertThat(again.requestedIp()).isEqualTo(OFFERED);
        }
        DhcpRepr discover = only(pollAt(now + 32 * SECOND)).message();
        assertThat(discover.messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(discover.transactionId()).isEqualTo(0x1001);
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
    }

    // ---- BOUND, RENEWING, REBINDING

    @Test
    void repliesWhileBoundAreIgnored() {
        bind(3600, -1, -1);
        assertThat(receive(ack(0x1000, 7200, -1, -1)).event()).isNull();
        assertThat(client.lease().leaseSeconds()).isEqualTo(3600);
        assertThat(client.stats().ignored()).isEqualTo(1);
    }

    @Test
    void atT1TheClientRenewsByUnicastToItsServer() {
        bind(120, 10, 20);
        DhcpClient.Transmission renewal = only(pollAt(T0 + 10 * SECOND));
        assertThat(client.state()).isEqualTo(DhcpState.RENEWING);
        assertThat(renewal.destination()).isEqualTo(SERVER);
        DhcpRepr message = renewal.message();
        assertThat(message.messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(message.transactionId()).as("a new transaction").isEqualTo(0x1001);
        assertThat(message.clientIp()).isEqualTo(OFFERED);
        assertThat(message.serverIdentifier()).as("RFC 2131 section 4.3.2: not when renewing").isNull();
        assertThat(message.requestedIp()).isNull();
        assertThat(message.secs()).isZero();
        // Half the time to T2 is 5 s, below the 60 s minimum, so the next message is the rebinding one at T2.
        assertThat(deadline).isEqualTo(T0 + 20 * SECOND);
    }

    @Test
    void anAckWhileRenewingExtendsTheLeaseFromTheRenewalsRequest() {
        bind(120, 10, 20);
        pollAt(T0 + 10 * SECOND);
        now += SECOND / 2;
        DhcpClient.Actions acked = receive(ack(0x1001, 120, 10, 20));
        assertThat(acked.event()).isInstanceOf(DhcpClient.LeaseEvent.Renewed.class);
        DhcpClient.LeaseEvent.Renewed renewed = (DhcpClient.LeaseEvent.Renewed) acked.event();
        assertThat(renewed.lease().sameConfiguration(renewed.previous())).isTrue();
        assertThat(client.state()).isEqualTo(DhcpState.BOUND);
        assertThat(client.lease().start()).isEqualTo(T0 + 10 * SECOND);
        assertThat(deadline).isEqualTo(T0 + 20 * SECOND);
        assertThat(acked.transmissions()).isEmpty();
    }

    /** RFC 2131 section 4.4.5: retransmit after half the time left to T2, but not sooner than 60 s. */
    @Test
    void renewalRetransmissionsWaitHalfTheTimeToT2() {
        bind(3600, -1, -1); // T1 1800 s, T2 3150 s
        pollAt(T0 + 1800 * SECOND);
        assertThat(deadline).isEqualTo(T0 + (1800 + 675) * SECOND);
        DhcpClient.Transmission again = only(pollAt(deadline));
        assertThat(again.destination()).isEqualTo(SERVER);
        assertThat(again.message().transactionId()).isEqualTo(0x1001);
        long millis = 1_000_000L;
        // Half of 675 s, 337.5 s, 168.75 s, 84.375 s; then 60 s, the minimum; then T2 comes first.
        for (long at : new long[] {2_812_500, 2_981_250, 3_065_625, 3_125_625}) {
            assertThat(deadline).isEqualTo(T0 + at * millis);
            assertThat(only(pollAt(deadline)).message().transactionId()).isEqualTo(0x1001);
        }
        assertThat(deadline).isEqualTo(T0 + 3150 * SECOND);
        assertThat(only(pollAt(deadline)).destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(client.state()).as("T2 has come").isEqualTo(DhcpState.REBINDING);
    }

    @Test
    void atT2TheClientRebindsByBroadcast() {
        bind(120, 10, 20);
        pollAt(T0 + 10 * SECOND);
        DhcpClient.Transmission rebinding = only(pollAt(T0 + 20 * SECOND));
        assertThat(client.state()).isEqualTo(DhcpState.REBINDING);
        assertThat(rebinding.destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(rebinding.message().clientIp()).isEqualTo(OFFERED);
        assertThat(rebinding.message().transactionId()).isEqualTo(0x1002);
        assertThat(deadline).as("half the 100 s left is below the 60 s minimum").isEqualTo(T0 + 80 * SECOND);

        DhcpRepr fromAnotherServer = ack(0x1002, 300, -1, -1).toBuilder().serverIdentifier(OTHER_SERVER).build();
        DhcpClient.Actions acked = receive(fromAnotherServer);
        assertThat(acked.event()).isInstanceOf(DhcpClient.LeaseEvent.Renewed.class);
        assertThat(client.lease().server()).as("renewals go to the server that answered").isEqualTo(OTHER_SERVER);
        assertThat(client.lease().start()).isEqualTo(T0 + 20 * SECOND);
        assertThat(client.state()).isEqualTo(DhcpState.BOUND);
    }

    @Test
    void expiryLosesTheLeaseAndDiscoversAgainAskingForTheSameAddress() {
        bind(120, 10, 20);
        pollAt(T0 + 10 * SECOND);
        pollAt(T0 + 20 * SECOND);
        assertThat(pollAt(T0 + 120 * SECOND - 1).event()).isNull();
        DhcpClient.Actions expired = pollAt(T0 + 120 * SECOND);
        assertThat(expired.event()).isInstanceOf(DhcpClient.LeaseEvent.Lost.class);
        assertThat(expired.event().lease().address()).isEqualTo(LEASED);
        DhcpRepr discover = only(expired).message();
        assertThat(discover.messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(discover.requestedIp()).isEqualTo(OFFERED);
        assertThat(discover.clientIp()).isEqualTo(Ipv4Address.ANY);
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(client.lease()).isNull();
        assertThat(client.stats().expired()).isEqualTo(1);

        // A new address this time: the event says so.
        int xid = discover.transactionId();
        receive(offer(xid).toBuilder().yourIp(Ipv4Address.parse("10.0.0.77")).build());
        DhcpClient.Actions obtained = receive(ack(xid, 120, -1, -1).toBuilder().yourIp(Ipv4Address.parse("10.0.0.77")).build());
        assertThat(obtained.event()).isInstanceOf(DhcpClient.LeaseEvent.Obtained.class);
        assertThat(client.lease().address()).isEqualTo(Ipv4Prefix.parse("10.0.0.77/24"));
    }

    @Test
    void aNakWhileRenewingLosesTheLease() {
        bind(120, 10, 20);
        pollAt(T0 + 10 * SECOND);
        DhcpClient.Actions naked = receive(nak(0x1001));
        assertThat(naked.event()).isInstanceOf(DhcpClient.LeaseEvent.Lost.class);
        assertThat(((DhcpClient.LeaseEvent.Lost) naked.event()).why()).contains("refused").contains("address not available");
        assertThat(only(naked).message().messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(client.stats().naks()).isEqualTo(1);
    }

    /** A timer that fires late goes straight to the state it is due for. */
    @Test
    void aLatePollSkipsStraightToRebindingOrExpiry() {
        bind(120, 10, 20);
        assertThat(only(pollAt(T0 + 30 * SECOND)).destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(client.state()).isEqualTo(DhcpState.REBINDING);

        DhcpClient other = new DhcpClient(MAC, new ScriptedRandom());
        DhcpClient.Actions actions = new DhcpClient.Actions();
        other.start(T0, actions);
        feed(other, offer(0x1000), actions);
        feed(other, ack(0x1000, 120, 10, 20), actions);
        assertThat(other.state()).isEqualTo(DhcpState.BOUND);
        DhcpClient.Actions late = new DhcpClient.Actions();
        other.poll(T0 + 500 * SECOND, late);
        assertThat(late.event()).isInstanceOf(DhcpClient.LeaseEvent.Lost.class);
        assertThat(other.state()).isEqualTo(DhcpState.SELECTING);
    }

    private static void feed(DhcpClient to, DhcpRepr reply, DhcpClient.Actions actions) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            reply.emit(buf);
            to.input(buf, T0, actions);
        } finally {
            buf.release();
        }
    }

    @Test
    void anInfiniteLeaseIsNeverRenewed() {
        bind(DhcpRepr.INFINITE, -1, -1);
        assertThat(deadline).isEqualTo(Long.MAX_VALUE);
        assertThat(pollAt(Long.MAX_VALUE - 1).transmissions()).isEmpty();
        assertThat(client.state()).isEqualTo(DhcpState.BOUND);
    }
}
