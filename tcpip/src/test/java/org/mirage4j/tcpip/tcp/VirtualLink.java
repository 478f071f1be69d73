package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * Two engines joined by a simulated path in virtual time: a bottleneck of some rate with a bounded queue (so
 * congestion control has something to find), a propagation delay with jitter (which reorders), and random loss,
 * duplication and corruption, all drawn from one seed.
 */
final class VirtualLink {

    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    /**
     * The path's behaviour.
     *
     * @param bitsPerSecond the bottleneck's rate
     * @param delayNanos the one-way propagation delay
     * @param jitterNanos up to this much extra delay per packet, drawn uniformly: packets overtake each other
     * @param queuePackets the bottleneck's queue; beyond it packets are dropped (tail drop)
     * @param loss the chance a packet is lost
     * @param duplication the chance a packet arrives twice
     * @param corruption the chance a packet has one bit flipped (the checksum must catch it)
     */
    record Path(long bitsPerSecond, long delayNanos, long jitterNanos, int queuePackets, double loss,
            double duplication, double corruption) {}

    private record InFlight(long deliverAt, long order, boolean toB, ByteBuf bytes) {}

    final TcpEngine a;
    final TcpEngine b;
    private final Path path;
    private final SplittableRandom random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            (x, y) -> x.deliverAt != y.deliverAt ? Long.compare(x.deliverAt, y.deliverAt) : Long.compare(x.order, y.order));
    private final long[] lastDeparture = new long[2];
    private final int[] queued = new int[2];
    private long order;
    long now = 1_000_000_000L;
    long sent;
    long dropped;

    VirtualLink(TcpConfig configA, TcpConfig configB, Path path, long seed, TcpEvents events) {
        this.path = path;
        this.random = new SplittableRandom(seed);
        this.a = new TcpEngine(configA, new TestRandom(seed + 1), ByteBufAllocator.DEFAULT,
                (src, dst, header, payload) -> transmit(true, src, dst, header, payload), events);
        this.b = new TcpEngine(configB, new TestRandom(seed + 2), ByteBufAllocator.DEFAULT,
                (src, dst, header, payload) -> transmit(false, src, dst, header, payload), events);
    }

    /** The last events on the link, for the message of a failing test. */
    final java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();

    private void note(String event) {
        if (trace.size() == 300) trace.removeFirst();
        trace.addLast(now / 1000 + "us " + event);
    }

    private void transmit(boolean toB, Ipv4Address src, Ipv4Address dst, TcpRepr header, ByteBuf payload) {
        sent++;
        note((toB ? "A>B " : "B>A ") + header + " len " + payload.readableBytes());
        int direction = toB ? 0 : 1;
        if (queued[direction] >= path.queuePackets() || random.nextDouble() < path.loss()) {
            dropped++;
            note("  dropped");
            return;
        }
        // Untracked on purpose: at PARANOID the leak detector records a stack trace on every access of a tracked
        // buffer, and the checksum reads these four octets at a time. The engine's own buffers stay tracked.
        ByteBuf bytes = Unpooled.buffer(header.bufferLength(payload.readableBytes()));
        header.emit(bytes, src, dst, payload);
        if (random.nextDouble() < path.corruption()) {
            int at = random.nextInt(bytes.readableBytes());
            bytes.setByte(at, bytes.getByte(at) ^ (1 << random.nextInt(8)));
        }
        // The bottleneck serializes packets one after the other (plus 40 octets of IPv4 and Ethernet framing).
        long serialization = (bytes.readableBytes() + 40) * 8L * 1_000_000_000L / path.bitsPerSecond();
        long departure = Math.max(now, lastDeparture[direction]) + serialization;
        lastDeparture[direction] = departure;
        queued[direction]++;
        long jitter = path.jitterNanos() == 0 ? 0 : random.nextLong(path.jitterNanos());
        inFlight.add(new InFlight(departure + path.delayNanos() + jitter, order++, toB, bytes));
        if (random.nextDouble() < path.duplication()) {
            long again = departure + path.delayNanos() + (path.jitterNanos() == 0 ? 1 : random.nextLong(path.jitterNanos()));
            inFlight.add(new InFlight(again, order++, toB, bytes.copy()));
            queued[direction]++;
        }
    }

    /** When the next packet arrives, {@link Long#MAX_VALUE} if none is on the way. */
    long nextArrival() {
        return inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().deliverAt;
    }

    /** Moves time to the next event (a packet arriving or a timer), and handles everything due then. */
    boolean step() {
        long next = Math.min(nextArrival(), Math.min(a.nextDeadline(), b.nextDeadline()));
        if (next == Long.MAX_VALUE) return false;
        now = Math.max(now, next);
        while (!inFlight.isEmpty() && inFlight.peek().deliverAt <= now) {
            InFlight packet = inFlight.poll();
            queued[packet.toB ? 0 : 1]--;
            try {
                if (packet.toB) b.input(A, B, packet.bytes, now);
                else a.input(B, A, packet.bytes, now);
            } finally {
                packet.bytes.release();
            }
        }
        a.poll(now);
        b.poll(now);
        return true;
    }

    /** Drops whatever is still on the way, releasing it. */
    void clear() {
        for (InFlight packet : inFlight) packet.bytes.release();
        inFlight.clear();
    }
}
