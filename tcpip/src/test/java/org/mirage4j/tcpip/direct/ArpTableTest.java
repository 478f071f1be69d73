package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/** The ARP cache as a state machine: addresses and time in, actions out. */
class ArpTableTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address IP = Ipv4Address.parse("10.0.0.1");
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");

    private final List<String> transmitted = new ArrayList<>();
    private final List<String> discarded = new ArrayList<>();

    private record Packet(String name, int length, List<String> transmitted, List<String> discarded) implements PendingPacket {
        @Override
        public void transmit(MacAddress nextHop) throws IOException {
            transmitted.add(name + "->" + nextHop);
        }

        @Override
        public void discard() {
            discarded.add(name);
        }
    }

    private Packet packet(String name, int length) {
        return new Packet(name, length, transmitted, discarded);
    }

    private static void carryOut(ArpTable.Actions actions) throws IOException {
        for (PendingPacket p : actions.ready) p.transmit(actions.readyTo);
        for (PendingPacket p : actions.discarded) p.discard();
    }

    @Test
    void aLearnedAddressIsKnownUntilItExpires() {
        ArpTable table = new ArpTable(ArpTable.Limits.DEFAULT);
        table.learn(IP, MAC, true, 0, new ArpTable.Actions());
        long lifetime = ArpTable.Limits.DEFAULT.lifetimeNanos();

        assertThat(table.lookup(IP, lifetime - 1)).isEqualTo(MAC);
        assertThat(table.lookup(IP, lifetime)).isNull();
        assertThat(table.poll(lifetime - 1, new ArpTable.Actions())).isEqualTo(lifetime);
        table.poll(lifetime, new ArpTable.Actions());
        assertThat(table.size()).isZero();
    }

    @Test
    void withoutCreateOnlyAnExistingEntryIsUpdated() {
        ArpTable table = new ArpTable(ArpTable.Limits.DEFAULT);
        table.learn(IP, MAC, false, 0, new ArpTable.Actions());
        assertThat(table.lookup(IP, 0)).isNull();

        MacAddress moved = MacAddress.parse("02:00:00:00:00:09");
        table.learn(IP, MAC, true, 0, new ArpTable.Actions());
        table.learn(IP, moved, false, SECOND, new ArpTable.Actions());
        assertThat(table.lookup(IP, SECOND)).isEqualTo(moved);
    }

    @Test
    void anUnknownAddressIsAskedForThreeTimesOneSecondApartThenGivenUp() throws Exception {
        ArpTable table = new ArpTable(ArpTable.Limits.DEFAULT);
        CompletableFuture<MacAddress> waiter = new CompletableFuture<>();
        ArpTable.Actions first = new ArpTable.Actions();

        assertThat(table.resolve(IP, packet("a", 100), waiter, 0, first)).isNull();
        assertThat(first.requests).containsExactly(IP);

        List<Ipv4Address> requests = new ArrayList<>();
        for (long t = 0; t <= 3 * SECOND; t += SECOND / 2) {
            ArpTable.Actions actions = new ArpTable.Actions();
            table.poll(t, actions);
            requests.addAll(actions.requests);
            carryOut(actions);
            if (t < 3 * SECOND) assertThat(waiter).as("at %d ns", t).isNotDone();
        }

        assertThat(requests).as("retries at 1 s and 2 s").containsExactly(IP, IP);
        assertThat(waiter).isCompletedExceptionally();
        assertThat(cause(waiter)).isInstanceOf(NoRouteToHostException.class).hasMessageContaining("10.0.0.1");
        assertThat(discarded).containsExactly("a");
        assertThat(table.size()).isZero();
    }

    @Test
    void anAnswerSendsTheWaitingPacketsInOrderAndWakesTheWaiters() throws Exception {
        ArpTable table = new ArpTable(ArpTable.Limits.DEFAULT);
        CompletableFuture<MacAddress> waiter = new CompletableFuture<>();
        ArpTable.Actions asked = new ArpTable.Actions();
        table.resolve(IP, packet("a", 10), null, 0, asked);
        table.resolve(IP, packet("b", 10), waiter, 0, asked);
        assertThat(asked.requests).containsExactly(IP); // asked once, however many wait

        ArpTable.Actions answered = new ArpTable.Actions();
        table.learn(IP, MAC, false, SECOND / 10, answered);
        carryOut(answered);

        assertThat(transmitted).containsExactly("a->" + MAC, "b->" + MAC);
        assertThat(waiter).isCompletedWithValue(MAC);
        assertThat(table.resolve(IP, packet("c", 10), null, SECOND, new ArpTable.Actions())).isEqualTo(MAC);
    }

    @Test
    void theQueueDropsItsOldestPacketsBeyondItsBounds() throws Exception {
        ArpTable table = new ArpTable(new ArpTable.Limits(16, 60 * SECOND, SECOND, 3, 3, 1000));
        ArpTable.Actions actions = new ArpTable.Actions();
        for (String name : List.of("a", "b", "c", "d", "e")) table.resolve(IP, packet(name, 10), null, 0, actions);
        assertThat(actions.discardReasons).containsExactly(DropReason.ARP_QUEUE_FULL, DropReason.ARP_QUEUE_FULL);
        carryOut(actions);
        assertThat(discarded).containsExactly("a", "b");

        ArpTable.Actions big = new ArpTable.Actions();
        table.resolve(IP, packet("huge", 990), null, 0, big); // 30 + 990 bytes > 1000: older ones go
        carryOut(big);
        assertThat(discarded).containsExactly("a", "b", "c", "d");
        assertThat(table.queued(IP)).isEqualTo(2);
    }

    @Test
    void aFullTableEvictsItsOldestResolvedEntryAndRefusesWhenAllArePending() throws Exception {
        ArpTable table = new ArpTable(new ArpTable.Limits(2, 60 * SECOND, SECOND, 3, 8, 10_000));
        Ipv4Address one = Ipv4Address.parse("10.0.0.11");
        Ipv4Address two = Ipv4Address.parse("10.0.0.12");
        Ipv4Address three = Ipv4Address.parse("10.0.0.13");
        table.learn(one, MAC, true, 0, new ArpTable.Actions());
        table.resolve(two, packet("to-two", 10), null, 0, new ArpTable.Actions());
        table.resolve(three, packet("to-three", 10), null, 0, new ArpTable.Actions());
        assertThat(table.lookup(one, 0)).as("evicted for the new entry").isNull();
        assertThat(table.size()).isEqualTo(2);

        ArpTable.Actions refused = new ArpTable.Actions();
        CompletableFuture<MacAddress> waiter = new CompletableFuture<>();
        table.resolve(one, packet("to-one", 10), waiter, 0, refused);
        carryOut(refused);
        assertThat(refused.requests).isEmpty();
        assertThat(discarded).containsExactly("to-one");
        assertThat(cause(waiter)).isInstanceOf(NoRouteToHostException.class);
    }

    @Test
    void closingDiscardsEverythingAndFailsTheWaiters() throws Exception {
        ArpTable table = new ArpTable(ArpTable.Limits.DEFAULT);
        CompletableFuture<MacAddress> waiter = new CompletableFuture<>();
        table.resolve(IP, packet("a", 10), waiter, 0, new ArpTable.Actions());
        ArpTable.Actions closing = new ArpTable.Actions();
        table.close(closing);
        carryOut(closing);
        assertThat(discarded).containsExactly("a");
        assertThat(waiter).isCompletedExceptionally();

        ArpTable.Actions after = new ArpTable.Actions();
        table.resolve(IP, packet("b", 10), null, 0, after);
        carryOut(after);
        assertThat(discarded).containsExactly("a", "b");
        assertThat(after.requests).isEmpty();
    }

    private static Throwable cause(CompletableFuture<?> future) {
        try {
            future.get();
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
