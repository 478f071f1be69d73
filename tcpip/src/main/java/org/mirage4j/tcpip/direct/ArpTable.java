package org.mirage4j.tcpip.direct;

import java.net.NoRouteToHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;

/**
 * The ARP cache as a state machine (RFC 826, with RFC 1122 section 2.3.2.1's timeouts and 2.3.2.2's queue):
 * addresses in, the time as a value, and out come {@link Actions} for the caller to carry out (requests to send,
 * packets now ready to go, packets to discard). It does no I/O, reads no clock and is not thread-safe: its owner
 * serialises the calls.
 *
 * <p>An entry is <em>resolved</em> (a MAC address, valid until it expires) or <em>pending</em> (requests sent,
 * packets and threads waiting). Bounds, so that no input grows it without limit:
 * <ul>
 *   <li>at most {@link Limits#capacity} entries; a new one evicts the oldest resolved entry, and is refused when
 *       all are pending;</li>
 *   <li>per pending entry at most {@link Limits#queuePackets} packets and {@link Limits#queueBytes} bytes: the
 *       oldest are dropped to make room (RFC 1122 section 2.3.2.2 asks for at least one);</li>
 *   <li>{@link Limits#attempts} requests, {@link Limits#retryNanos} apart, then the entry gives up: its packets are
 *       discarded and its threads get a {@link NoRouteToHostException}.</li>
 * </ul>
 */
final class ArpTable {

    /**
     * The table's bounds and times.
     *
     * @param capacity entries, resolved and pending together
     * @param lifetimeNanos how long a resolved entry is trusted; RFC 1122 section 2.3.2.1 asks for a timeout
     * @param retryNanos the time between two requests for the same address
     * @param attempts requests sent before giving up
     * @param queuePackets packets waiting per address
     * @param queueBytes bytes waiting per address
     */
    record Limits(int capacity, long lifetimeNanos, long retryNanos, int attempts, int queuePackets, int queueBytes) {
        /**
         * 1024 entries; a 60 s lifetime (smoltcp's and mirage-tcpip's order of magnitude); 3 requests 1 s apart
         * (Linux's mcast_solicit and retrans_time); 64 packets or 212 992 bytes waiting (Linux's unres_qlen_bytes).
         */
        static final Limits DEFAULT = new Limits(1024, 60_000_000_000L, 1_000_000_000L, 3, 64, 212_992);
    }

    /** What the caller must do after a call, outside its lock. */
    static final class Actions {
        /** Addresses to send a request for. */
        final List<Ipv4Address> requests = new ArrayList<>(1);
        /** Packets whose next hop is now known, with that address. */
        final List<PendingPacket> ready = new ArrayList<>();
        MacAddress readyTo;
        /** Packets to release unsent, and why. */
        final List<PendingPacket> discarded = new ArrayList<>();
        final List<DropReason> discardReasons = new ArrayList<>();

        void discard(PendingPacket packet, DropReason reason) {
            discarded.add(packet);
            discardReasons.add(reason);
        }

        boolean isEmpty() {
            return requests.isEmpty() && ready.isEmpty() && discarded.isEmpty();
        }
    }

    private static final class Entry {
        MacAddress mac; // null while pending
        long expiresAt;
        long nextRequestAt;
        int requestsSent;
        ArrayDeque<PendingPacket> queue;
        int queuedBytes;
        List<CompletableFuture<MacAddress>> waiters;

        boolean pending() {
            return mac == null;
        }
    }

    private final Limits limits;
    private final Map<Ipv4Address, Entry> entries = new LinkedHashMap<>(); // in order of creation: oldest first
    private boolean closed;

    ArpTable(Limits limits) {
        this.limits = limits;
    }

    /** The resolved address of {@code ip}, or {@code null} if none is valid at {@code now}. */
    MacAddress lookup(Ipv4Address ip, long now) {
        Entry entry = entries.get(ip);
        return entry == null || entry.pending() || now >= entry.expiresAt ? null : entry.mac;
    }

    /**
     * Finds the address of {@code ip}, or starts or joins its resolution. When the address is known it is
     * returned and {@code packet} stays the caller's; otherwise {@code packet} (if any) joins the queue, or is
     * put into {@code actions} to be discarded, and {@code waiter} (if any) is completed when the address is
     * known or fails when resolution gives up.
     */
    MacAddress resolve(Ipv4Address ip, PendingPacket packet, CompletableFuture<MacAddress> waiter, long now, Actions actions) {
        Entry entry = entries.get(ip);
        if (entry != null && !entry.pending()) {
            if (now < entry.expiresAt) {
                if (waiter != null) waiter.complete(entry.mac);
                return entry.mac;
            }
            entries.remove(ip); // expired: ask again, as a new entry
            entry = null;
        }
        if (closed || (entry == null && !makeRoom())) {
            if (packet != null) actions.discard(packet, DropReason.ARP_QUEUE_FULL);
            if (waiter != null) waiter.completeExceptionally(new NoRouteToHostException(
                    "The ARP table is full of addresses being resolved, so " + ip + " cannot be asked for now; try again shortly."));
            return null;
        }
        if (entry == null) {
            entry = new Entry();
            entry.queue = new ArrayDeque<>();
            entry.waiters = new ArrayList<>(1);
            entry.requestsSent = 1;
            entry.nextRequestAt = now + limits.retryNanos();
            entries.put(ip, entry);
            actions.requests.add(ip);
        }
        if (packet != null) enqueue(entry, packet, actions);
        if (waiter != null) entry.waiters.add(waiter);
        return null;
    }

    /**
     * Records that {@code ip} is at {@code mac}, as RFC 826's merge step: an existing entry is updated (and, if it
     * was pending, its packets become ready and its threads are woken); a new one is made only if {@code create}
     * (the packet was addressed to us).
     */
    void learn(Ipv4Address ip, MacAddress mac, boolean create, long now, Actions actions) {
        if (closed) return;
        Entry entry = entries.get(ip);
        if (entry == null) {
            if (!create || !makeRoom()) return;
            entry = new Entry();
            entries.put(ip, entry);
        }
        if (entry.pending() && entry.queue != null) { // it was being resolved, not just made
            actions.ready.addAll(entry.queue);
            actions.readyTo = mac;
            for (CompletableFuture<MacAddress> waiter : entry.waiters) waiter.complete(mac);
            entry.queue = null;
            entry.waiters = null;
            entry.queuedBytes = 0;
        }
        entry.mac = mac;
        entry.expiresAt = now + limits.lifetimeNanos();
    }

    /**
     * Advances time to {@code now}: resends requests that are due, gives up on addresses asked for
     * {@link Limits#attempts} times, and forgets expired addresses.
     *
     * @return the time of the next thing to do, or {@link Long#MAX_VALUE} if there is none
     */
    long poll(long now, Actions actions) {
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Ipv4Address, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Ipv4Address, Entry> e = it.next();
            Entry entry = e.getValue();
            if (!entry.pending()) {
                if (now >= entry.expiresAt) {
                    it.remove();
                } else {
                    next = Math.min(next, entry.expiresAt);
                }
            } else if (now >= entry.nextRequestAt) {
                if (entry.requestsSent >= limits.attempts()) {
                    it.remove();
                    giveUp(e.getKey(), entry, actions);
                } else {
                    entry.requestsSent++;
                    entry.nextRequestAt = now + limits.retryNanos();
                    actions.requests.add(e.getKey());
                    next = Math.min(next, entry.nextRequestAt);
                }
            } else {
                next = Math.min(next, entry.nextRequestAt);
            }
        }
        return next;
    }

    /** Empties the table for good: queued packets go to {@code actions} to be discarded, waiting threads fail. */
    void close(Actions actions) {
        closed = true;
        for (Map.Entry<Ipv4Address, Entry> e : entries.entrySet()) {
            if (e.getValue().pending()) giveUp(e.getKey(), e.getValue(), actions);
        }
        entries.clear();
    }

    /** How many entries there are, resolved and pending. */
    int size() {
        return entries.size();
    }

    /** How many packets wait for {@code ip}. */
    int queued(Ipv4Address ip) {
        Entry entry = entries.get(ip);
        return entry == null || !entry.pending() ? 0 : entry.queue.size();
    }

    private void enqueue(Entry entry, PendingPacket packet, Actions actions) {
        entry.queue.addLast(packet);
        entry.queuedBytes += packet.length();
        // Drop the oldest beyond the bounds, as Linux does: the newest data is the most useful to a sender.
        while (entry.queue.size() > limits.queuePackets() || (entry.queuedBytes > limits.queueBytes() && entry.queue.size() > 1)) {
            PendingPacket oldest = entry.queue.removeFirst();
            entry.queuedBytes -= oldest.length();
            actions.discard(oldest, DropReason.ARP_QUEUE_FULL);
        }
    }

    private void giveUp(Ipv4Address ip, Entry entry, Actions actions) {
        for (PendingPacket packet : entry.queue) actions.discard(packet, DropReason.UNRESOLVED);
        NoRouteToHostException failure = new NoRouteToHostException(
                "Nobody answered ARP requests for " + ip + ": check that the host is up and on this link.");
        for (CompletableFuture<MacAddress> waiter : entry.waiters) waiter.completeExceptionally(failure);
    }

    /** Makes room for one more entry by evicting the oldest resolved one; false if every entry is pending. */
    private boolean makeRoom() {
        if (entries.size() < limits.capacity()) return true;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (!it.next().pending()) {
                it.remove();
                return true;
            }
        }
        return false;
    }
}
