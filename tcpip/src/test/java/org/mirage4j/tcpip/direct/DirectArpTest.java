package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/** ARP through the stack, frame by frame, in virtual time. */
class DirectArpTest {

    private static final Ipv4Address STRANGER = Ipv4Address.parse("10.0.0.7");
    private static final MacAddress STRANGER_MAC = MacAddress.parse("02:00:00:00:00:07");

    private static byte[] arpFrame(MacAddress destination, ArpRepr arp) {
        return Frames.ethernet(arp.senderMac(), destination, EtherType.ARP, Frames.arp(arp));
    }

    private static ByteBuf bytes(int n) {
        return TrackedHeapAllocator.INSTANCE.heapBuffer(n).writeZero(n);
    }

    @Test
    void answersARequestForOurAddressAndLearnsTheAsker() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            f.receive(arpFrame(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP)));

            Frames.Sent reply = f.sent();
            assertThat(reply.ethernet()).isEqualTo(new EthernetRepr(OUR_MAC, PEER_MAC, EtherType.ARP));
            assertThat(Frames.hex(reply.payload())).isEqualTo(Frames.hex(
                    Frames.arp(new ArpRepr(ArpOperation.REPLY, OUR_MAC, OUR_IP, PEER_MAC, PEER_IP))));

            // Learnt from the request (RFC 826): a datagram to the asker goes out at once, without a request of ours.
            f.stack.udp().write(5000, PEER_IP, 7, bytes(4));
            Frames.Sent datagram = f.sent();
            assertThat(datagram.ethernet().destination()).isEqualTo(PEER_MAC);
            assertThat(datagram.ethernet().etherType()).isEqualTo(EtherType.IPV4);
            assertThat(f.stack.stats().arp().received()).isEqualTo(1);
        }
    }

    @Test
    void neitherAnswersNorLearnsFromARequestForAnotherAddress() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            f.receive(arpFrame(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, STRANGER)));
            f.assertNothingSent();

            f.stack.udp().write(5000, PEER_IP, 7, bytes(4));
            ArpRepr request = f.sent().arp();
            assertThat(request).isEqualTo(new ArpRepr(ArpOperation.REQUEST, OUR_MAC, OUR_IP, MacAddress.ZERO, PEER_IP));
        }
    }

    @Test
    void asksRetriesThenGivesUpAndDropsWhatWaited() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            f.stack.udp().write(5000, STRANGER, 7, bytes(4));
            Frames.Sent first = f.sent();
            assertThat(first.ethernet()).isEqualTo(new EthernetRepr(OUR_MAC, MacAddress.BROADCAST, EtherType.ARP));
            assertThat(first.arp().targetIp()).isEqualTo(STRANGER);

            f.advance(Duration.ofMillis(999));
            f.assertNothingSent();
            f.advance(Duration.ofMillis(1));
            assertThat(f.sent().arp().targetIp()).isEqualTo(STRANGER);
            f.advance(Duration.ofSeconds(1));
            assertThat(f.sent().arp().targetIp()).isEqualTo(STRANGER);
            f.advance(Duration.ofSeconds(1));
            f.assertNothingSent(); // three requests in all, then it gives up

            assertThat(f.stack.stats().arp().dropped(DropReason.UNRESOLVED)).isEqualTo(1);
            assertThat(f.stack.stats().arp().sent()).isEqualTo(1 + 3);
        }
    }

    @Test
    void aQueryBlocksItsThreadUntilTheAnswerComes() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            CompletableFuture<MacAddress> answer = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(f.stack.arp().query(STRANGER));
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
            });
            assertThat(f.awaitSent().arp().targetIp()).isEqualTo(STRANGER);
            assertThat(answer).isNotDone();

            f.receive(arpFrame(OUR_MAC, new ArpRepr(ArpOperation.REPLY, STRANGER_MAC, STRANGER, OUR_MAC, OUR_IP)));
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(STRANGER_MAC);
            assertThat(f.stack.arp().query(STRANGER)).as("now from the cache").isEqualTo(STRANGER_MAC);
            f.assertNothingSent();
        }
    }

    @Test
    void aQueryNobodyAnswersEndsInNoRouteToHost() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            CompletableFuture<MacAddress> answer = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    answer.complete(f.stack.arp().query(STRANGER));
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
            });
            f.awaitSent();
            for (int i = 0; i < 3; i++) f.advance(Duration.ofSeconds(1));
            assertThat(answer).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(NoRouteToHostException.class)
                    .withMessage("Nobody answered ARP requests for 10.0.0.7: check that the host is up and on this link.");
        }
    }

    @Test
    void packetsWaitForTheAnswerAndOnlyTheNewestBeyondTheBoundAreKept() throws Exception {
        ArpTable.Limits twoWaiting = new ArpTable.Limits(16, 60_000_000_000L, 1_000_000_000L, 3, 2, 100_000);
        try (StackFixture f = new StackFixture("", twoWaiting, Reassembler.Limits.DEFAULT, 16, 1500).connect()) {
            for (int port = 1; port <= 3; port++) f.stack.udp().write(5000, STRANGER, port, bytes(4));
            assertThat(f.sent().arp().targetIp()).isEqualTo(STRANGER);
            f.assertNothingSent();

            f.receive(arpFrame(OUR_MAC, new ArpRepr(ArpOperation.REPLY, STRANGER_MAC, STRANGER, OUR_MAC, OUR_IP)));
            var sent = f.sentAll();
            assertThat(sent).extracting(s -> s.ethernet().destination()).containsOnly(STRANGER_MAC);
            assertThat(sent).extracting(s -> s.udp().destinationPort()).containsExactly(2, 3);
            assertThat(f.stack.stats().arp().dropped(DropReason.ARP_QUEUE_FULL)).isEqualTo(1);
        }
    }

    @Test
    void countsMalformedAndConflictingPacketsAndAnswersNothing() throws Exception {
        try (StackFixture f = new StackFixture().connect()) {
            byte[] good = Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP));
            byte[] truncated = java.util.Arrays.copyOf(good, 27);
            byte[] otherHardware = good.clone();
            otherHardware[1] = 6; // hardware type 6: IEEE 802 networks, not Ethernet
            byte[] badOperation = good.clone();
            badOperation[7] = 3; // RARP request
            for (byte[] arp : new byte[][] {truncated, otherHardware, badOperation}) {
                f.receive(Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP, arp));
            }
            f.receive(arpFrame(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, STRANGER_MAC, OUR_IP, MacAddress.ZERO, PEER_IP)));
            f.assertNothingSent();

            LayerStats arp = f.stack.stats().arp();
            assertThat(arp.dropped(DropReason.TRUNCATED)).isEqualTo(1);
            assertThat(arp.dropped(DropReason.UNSUPPORTED_ARP_FORMAT)).isEqualTo(1);
            assertThat(arp.dropped(DropReason.UNSUPPORTED_ARP_OPERATION)).isEqualTo(1);
            assertThat(arp.dropped(DropReason.ADDRESS_CONFLICT)).isEqualTo(1);
            assertThat(arp.received()).isZero();
        }
    }
}
