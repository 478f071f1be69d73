package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.mirage4j.api.net.Icmp;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.wire.Icmpv4Packet;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.Ipv4Packet;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Malformed;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.UnreachableCode;

/**
 * ICMPv4 (RFC 792) for a host: answers echo requests, counts the rest, and sends destination-unreachable errors
 * for the layers above, within RFC 1122 section 3.2.2's rules: never about an ICMP error, a broadcast or
 * multicast datagram, or one from an address that is not a host's; and no more than a token bucket allows
 * ({@link #ERROR_BURST} at once, one per {@link #ERROR_INTERVAL_NANOS} after, as Linux's icmp_ratelimit).
 *
 * <p>Threads: {@link #input(Ipv4Repr, ByteBuf, long)} runs on the receive loop (it reuses one view); the
 * senders may be called from any thread.
 */
final class DirectIcmp implements Icmp {

    static final String LOGGER_NAME = "tcpip.icmp";
    static final int ERROR_BURST = 10;
    static final long ERROR_INTERVAL_NANOS = 10_000_000L; // 100 errors per second at most
    private static final Logger LOG = System.getLogger(LOGGER_NAME);

    private final DirectIpv4 ipv4;
    private final MonotonicClock clock;
    private final ByteBufAllocator allocator;
    private final LayerCounters counters = new LayerCounters();
    private final RateLimiter errors = new RateLimiter(ERROR_BURST, ERROR_INTERVAL_NANOS);
    private final Icmpv4Packet view = new Icmpv4Packet();

    DirectIcmp(DirectIpv4 ipv4, MonotonicClock clock, ByteBufAllocator allocator) {
        this.ipv4 = ipv4;
        this.clock = clock;
        this.allocator = allocator;
    }

    @Override
    public void input(Ipv4Address source, Ipv4Address destination, ByteBuf message) {
        Ipv4Repr header = new Ipv4Repr(source, destination, IpProtocol.ICMP, 0, 0, 0, 0, 0, false, false, 0);
        input(header, message, clock.elapsedNanos());
    }

    /** Handles one received ICMP message. Takes ownership of {@code message}; never throws on malformed input. */
    void input(Ipv4Repr ip, ByteBuf message, long now) {
        Icmpv4Repr icmp;
        try {
            Malformed problem = view.wrap(message);
            Parsed<Icmpv4Repr> parsed = problem == null ? Icmpv4Repr.parse(view) : Parsed.rejected(problem);
            if (parsed instanceof Parsed.Rejected<Icmpv4Repr>(Malformed reason)) {
                counters.drop(DropReason.of(reason));
                return;
            }
            icmp = parsed.valueOrNull();
        } finally {
            message.release(); // the record holds a copy of what it needs
        }
        counters.received();
        switch (icmp) {
            case Icmpv4Repr.EchoRequest request -> {
                if (!ip.destination().equals(ipv4.routing().address())) { // RFC 1122 section 3.2.2.6: MAY ignore
                    counters.drop(DropReason.IGNORED_BROADCAST);
                    return;
                }
                send(ip.source(), request.reply(), now);
            }
            case Icmpv4Repr.EchoReply reply -> counters.drop(DropReason.NO_LISTENER); // we send no requests yet
            case Icmpv4Repr.DestinationUnreachable error -> LOG.log(Level.DEBUG, () -> ip.source() + " reports " + error.code());
            case Icmpv4Repr.TimeExceeded error -> LOG.log(Level.DEBUG, () -> ip.source() + " reports " + error.code());
        }
    }

    /**
     * Tells the sender of a UDP datagram that nobody listens on its port (RFC 1122 section 4.1.3.1), unless a rule
     * of RFC 1122 section 3.2.2 or the rate limit says not to. The caller keeps ownership of {@code datagram}, the
     * UDP header and data, and its indexes do not move.
     */
    void portUnreachable(Ipv4Repr original, ByteBuf datagram, long now) {
        sendError(original, datagram, UnreachableCode.PORT_UNREACHABLE, now);
    }

    private void sendError(Ipv4Repr original, ByteBuf payload, UnreachableCode code, long now) {
        Ipv4Address source = original.source();
        if (!ipv4.routing().address().equals(original.destination()) // sent to a broadcast or multicast address
                || source.isUnspecified() || source.isLoopback() || source.isMulticast() || ipv4.routing().isBroadcast(source)
                || original.fragmentOffset() != 0
                || (original.protocol() == IpProtocol.ICMP && isError(payload))) {
            return;
        }
        if (!errors.tryAcquire(now)) {
            counters.drop(DropReason.RATE_LIMITED);
            return;
        }
        // Quote the datagram's header and as much of its payload as fits in 576 octets (RFC 1812 section 4.3.2.3).
        int quoted = Math.min(payload.readableBytes(), Icmpv4Repr.MAX_QUOTED_LENGTH - Ipv4Packet.HEADER_LENGTH);
        ByteBuf quote = allocator.heapBuffer(Ipv4Packet.HEADER_LENGTH + quoted);
        Octets data;
        try {
            original.emit(quote);
            quote.writeBytes(payload, payload.readerIndex(), quoted);
            data = Octets.copyOf(quote);
        } finally {
            quote.release();
        }
        send(source, new Icmpv4Repr.DestinationUnreachable(code, 0, data), now);
    }

    /** Whether an ICMP message is an error (anything but an echo, RFC 792), about which no error may be sent. */
    private static boolean isError(ByteBuf message) {
        if (message.readableBytes() < 1) return false;
        int type = message.getUnsignedByte(message.readerIndex());
        return type != 0 && type != 8;
    }

    /** {@inheritDoc} The checksum is computed here over the whole message. */
    @Override
    public void write(Ipv4Address destination, ByteBuf message) throws IOException {
        try {
            int start = message.readerIndex();
            int length = message.readableBytes();
            if (length < Icmpv4Packet.HEADER_LENGTH) {
                throw new IllegalArgumentException("An ICMP message has an 8-byte header at least, not " + length + " bytes.");
            }
            message.setShort(start + 2, 0);
            message.setShort(start + 2, InternetChecksum.compute(message, start, length));
            ipv4.send(destination, IpProtocol.ICMP, length, buf -> buf.writeBytes(message, start, length), false, clock.elapsedNanos());
            counters.sent();
        } finally {
            message.release();
        }
    }

    private void send(Ipv4Address destination, Icmpv4Repr message, long now) {
        try {
            ipv4.send(destination, IpProtocol.ICMP, message.bufferLength(), message::emit, false, now);
            counters.sent();
        } catch (IOException | RuntimeException e) {
            counters.drop(DropReason.SEND_FAILED);
            LOG.log(Level.DEBUG, () -> "Sending " + message.getClass().getSimpleName() + " to " + destination + " failed", e);
        }
    }

    LayerStats stats() {
        return counters.snapshot();
    }
}
