package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.NoRouteToHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.mirage4j.api.net.Arp;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpPacket;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.Malformed;
import org.mirage4j.tcpip.wire.Parsed;

/**
 * ARP (RFC 826) for the direct stack: answers requests for our addresses, learns from what it is told, and
 * resolves next hops for IPv4 through an {@link ArpTable}, whose {@link ArpTable.Actions} it carries out.
 *
 * <p>Threads: {@link #input(ByteBuf, long)} runs on the receive loop (it reuses one view); {@link #poll} on the
 * timer thread; {@link #query} blocks the calling (virtual) thread until the address is known or resolution
 * gives up; {@link #resolve} never blocks. The table is guarded by its own lock, never held while sending.
 */
final class DirectArp implements Arp {

    static final String LOGGER_NAME = "tcpip.arp";
    private static final Logger LOG = System.getLogger(LOGGER_NAME);
    /** At most one warning about an address conflict per this many nanoseconds, so a flood cannot fill the log. */
    private static final long CONFLICT_LOG_INTERVAL = 10_000_000_000L;

    private final DirectEthernet ethernet;
    private final MonotonicClock clock;
    private final ArpTable table;
    private final LayerCounters counters = new LayerCounters();
    private final ArpPacket view = new ArpPacket();
    private volatile List<Ipv4Address> addresses;
    private long lastConflictLog = Long.MIN_VALUE; // receive loop only

    DirectArp(DirectEthernet ethernet, MonotonicClock clock, List<Ipv4Address> addresses, ArpTable.Limits limits) {
        this.ethernet = ethernet;
        this.clock = clock;
        this.addresses = List.copyOf(addresses);
        this.table = new ArpTable(limits);
    }

    /** {@inheritDoc} Broadcast resolves to the broadcast address, and our own addresses to our MAC address. */
    @Override
    public MacAddress query(Ipv4Address address) throws IOException, InterruptedException {
        if (address.isBroadcast()) return MacAddress.BROADCAST;
        if (addresses.contains(address)) return ethernet.mac();
        CompletableFuture<MacAddress> answer = new CompletableFuture<>();
        ArpTable.Actions actions = new ArpTable.Actions();
        synchronized (table) {
            table.resolve(address, null, answer, clock.elapsedNanos(), actions);
        }
        carryOut(actions);
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoRouteToHostException failure) {
                // A fresh exception, so that the stack trace shows this caller rather than the timer thread.
                throw (NoRouteToHostException) new NoRouteToHostException(failure.getMessage()).initCause(failure);
            }
            throw new IOException("Resolving " + address + " failed unexpectedly.", e.getCause());
        }
    }

    /**
     * The hardware address of {@code nextHop} if known; otherwise {@code null}, and {@code packet} now belongs to
     * ARP, which sends it once the address is known or discards it. Never blocks.
     */
    MacAddress resolve(Ipv4Address nextHop, PendingPacket packet, long now) {
        ArpTable.Actions actions = new ArpTable.Actions();
        MacAddress mac;
        synchronized (table) {
            mac = table.resolve(nextHop, packet, null, now, actions);
        }
        if (!actions.isEmpty()) carryOut(actions);
        return mac;
    }

    /** The hardware address of {@code nextHop} if known now, without asking anybody. */
    MacAddress lookup(Ipv4Address nextHop, long now) {
        synchronized (table) {
            return table.lookup(nextHop, now);
        }
    }

    @Override
    public void input(ByteBuf packet) {
        input(packet, clock.elapsedNanos());
    }

    /** Handles one received ARP packet. Takes ownership of {@code packet}; never throws on malformed input. */
    void input(ByteBuf packet, long now) {
        ArpRepr arp;
        try {
            Malformed problem = view.wrap(packet);
            Parsed<ArpRepr> parsed = problem == null ? ArpRepr.parse(view) : Parsed.rejected(problem);
            if (parsed instanceof Parsed.Rejected<ArpRepr>(Malformed reason)) {
                counters.drop(DropReason.of(reason));
                return;
            }
            arp = parsed.valueOrNull();
        } finally {
            packet.release(); // everything needed is in the record now
        }
        handle(arp, now);
    }

    private void handle(ArpRepr arp, long now) {
        MacAddress ours = ethernet.mac();
        if (arp.senderMac().isMulticast() || arp.senderMac().equals(ours)) {
            counters.drop(DropReason.BAD_SOURCE);
            return;
        }
        List<Ipv4Address> mine = addresses;
        if (mine.contains(arp.senderIp())) {
            counters.drop(DropReason.ADDRESS_CONFLICT);
            if (now - lastConflictLog >= CONFLICT_LOG_INTERVAL || lastConflictLog == Long.MIN_VALUE) {
                lastConflictLog = now;
                LOG.log(Level.WARNING, "{0} claims our address {1}: two hosts on this link have the same IPv4 address",
                        arp.senderMac(), arp.senderIp());
            }
            return;
        }
        counters.received();
        boolean forUs = mine.contains(arp.targetIp());
        ArpTable.Actions actions = new ArpTable.Actions();
        if (!arp.senderIp().isUnspecified()) { // an RFC 5227 probe (sender 0.0.0.0) teaches nothing
            synchronized (table) {
                table.learn(arp.senderIp(), arp.senderMac(), forUs, now, actions);
            }
        }
        if (forUs && arp.operation() == ArpOperation.REQUEST) {
            send(arp.senderMac(), new ArpRepr(ArpOperation.REPLY, ours, arp.targetIp(), arp.senderMac(), arp.senderIp()));
        }
        carryOut(actions);
    }

    /**
     * Advances time to {@code now}: sends the requests that are due, gives up on silent addresses.
     *
     * @return when to call again at the latest
     */
    long poll(long now) {
        ArpTable.Actions actions = new ArpTable.Actions();
        long next;
        synchronized (table) {
            next = table.poll(now, actions);
        }
        carryOut(actions);
        return next;
    }

    /** Announces each of our addresses with a gratuitous ARP request (RFC 5227 section 2.3, "ARP Announcement"). */
    void announce() {
        for (Ipv4Address address : addresses) announce(address);
    }

    @Override
    public List<Ipv4Address> addresses() {
        return addresses;
    }

    @Override
    public void setAddresses(List<Ipv4Address> next) {
        List<Ipv4Address> before = addresses;
        addresses = List.copyOf(next);
        for (Ipv4Address address : addresses) {
            if (!before.contains(address)) announce(address);
        }
    }

    /** Stops resolving for good: waiting packets are released, waiting threads get a {@link NoRouteToHostException}. */
    @Override
    public void disconnect() {
        ArpTable.Actions actions = new ArpTable.Actions();
        synchronized (table) {
            table.close(actions);
        }
        carryOut(actions);
    }

    LayerStats stats() {
        return counters.snapshot();
    }

    private void announce(Ipv4Address address) {
        send(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, ethernet.mac(), address, MacAddress.ZERO, address));
    }

    private void carryOut(ArpTable.Actions actions) {
        MacAddress ours = null;
        for (Ipv4Address ip : actions.requests) {
            if (ours == null) ours = ethernet.mac();
            List<Ipv4Address> mine = addresses;
            Ipv4Address source = mine.isEmpty() ? Ipv4Address.ANY : mine.getFirst();
            send(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, ours, source, MacAddress.ZERO, ip));
        }
        List<PendingPacket> ready = actions.ready;
        for (int i = 0; i < ready.size(); i++) {
            try {
                ready.get(i).transmit(actions.readyTo);
            } catch (IOException | RuntimeException e) {
                counters.drop(DropReason.SEND_FAILED);
                LOG.log(Level.DEBUG, "Sending a packet that waited for ARP failed", e);
            }
        }
        for (int i = 0; i < actions.discarded.size(); i++) {
            actions.discarded.get(i).discard();
            counters.drop(actions.discardReasons.get(i));
        }
    }

    private void send(MacAddress destination, ArpRepr arp) {
        try {
            ethernet.write(destination, EtherType.ARP, arp.bufferLength(), arp::emit);
            counters.sent();
        } catch (IOException | RuntimeException e) {
            counters.drop(DropReason.SEND_FAILED);
            LOG.log(Level.DEBUG, () -> "Sending " + arp + " failed", e);
        }
    }
}
