package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.wire.Ipv4Packet;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Malformed;
import org.mirage4j.tcpip.wire.Parsed;

/**
 * IPv4 (RFC 791) for a host: checks received packets, keeps those for us, reassembles fragments (see
 * {@link Reassembler}) and hands whole datagrams up by protocol; sends datagrams by {@link Routing}, resolving the
 * next hop with ARP, and fragments those larger than the link's MTU.
 *
 * <p>Sending never blocks: when the next hop's MAC address is not known yet, the datagram waits in ARP's bounded
 * queue and goes out (or is dropped) when ARP has an answer, so the receive loop may send too (echo replies).
 * A datagram that fits one frame and has a known next hop is written straight into the device's buffer;
 * otherwise its payload is first written into a buffer of its own and then copied fragment by fragment.
 *
 * <p>Over a device with checksum offload, {@link #sendPartialChecksum} sends a datagram whose transport checksum the
 * device finishes, and which it may cut into TCP segments (TSO): such a datagram may exceed the MTU, goes in one
 * frame with DF set (the device cuts TCP, never IP), and says so in the frame's {@link VirtioNetHeader}. Received
 * datagrams are not held to the MTU (a device with large receive coalesces TCP segments); one whose frame the device
 * vouched for goes to {@link Ipv4Demux#tcpVouched} when it is TCP and was not reassembled.
 *
 * <p>Threads: {@link #input(ByteBuf, Ipv4Demux, long)} runs on the receive loop (it reuses one view);
 * {@link #poll} on the timer thread; {@link #send} from any thread. Reassembly is guarded by its own lock.
 */
final class DirectIpv4 implements Ipv4 {

    static final String LOGGER_NAME = "tcpip.ipv4";
    /** The time to live of the datagrams we send: IANA's recommended default, as Linux's (RFC 1700; RFC 1122 section 3.2.1.7). */
    static final int TTL = 64;
    private static final Logger LOG = System.getLogger(LOGGER_NAME);

    private final DirectEthernet ethernet;
    private final DirectArp arp;
    private final MonotonicClock clock;
    private volatile Routing routing; // replaced whole when the address source configures the stack
    private final ByteBufAllocator allocator;
    private final LayerCounters counters = new LayerCounters();
    private final Reassembler reassembler;
    private final Ipv4Packet view = new Ipv4Packet();
    private final AtomicInteger identification = new AtomicInteger();

    DirectIpv4(DirectEthernet ethernet, DirectArp arp, MonotonicClock clock, Routing routing, ByteBufAllocator allocator,
            Reassembler.Limits reassembly) {
        this.ethernet = ethernet;
        this.arp = arp;
        this.clock = clock;
        this.routing = routing;
        this.allocator = allocator;
        this.reassembler = new Reassembler(reassembly, allocator, counters);
    }

    /** Sets the identification of the next datagram sent; the stack draws it at random (RFC 6864 section 4.1). */
    void startIdentificationAt(int first) {
        identification.set(first);
    }

    @Override
    public void input(ByteBuf packet, Handlers handlers) {
        input(packet, new Ipv4Demux(
                (ip, payload, now) -> handlers.icmp().accept(new Packet(ip.source(), ip.destination(), payload)),
                (ip, payload, now) -> handlers.tcp().accept(new Packet(ip.source(), ip.destination(), payload)),
                (ip, payload, now) -> handlers.udp().accept(new Packet(ip.source(), ip.destination(), payload))),
                clock.elapsedNanos());
    }

    /**
     * Handles one received packet whose readable bytes start at the IPv4 header (Ethernet padding after it is
     * ignored). Takes ownership of {@code packet}; never throws on malformed input.
     */
    void input(ByteBuf packet, Ipv4Demux demux, long now) {
        input(packet, demux, false, now);
    }

    /**
     * {@link #input(ByteBuf, Ipv4Demux, long)} of a packet whose frame the device vouched for when
     * {@code checksumVouched}: its checksums were verified, or are partial from the local host. Only a whole
     * datagram keeps the vouching: the other fragments of a reassembled one came in frames of their own.
     */
    void input(ByteBuf packet, Ipv4Demux demux, boolean checksumVouched, long now) {
        Ipv4Input next = null;
        Ipv4Repr header = null;
        ByteBuf payload = null;
        try {
            Malformed problem = view.wrap(packet);
            Parsed<Ipv4Repr> parsed = problem == null ? Ipv4Repr.parse(view) : Parsed.rejected(problem);
            if (parsed instanceof Parsed.Rejected<Ipv4Repr>(Malformed reason)) {
                counters.drop(DropReason.of(reason));
                return;
            }
            header = parsed.valueOrNull();
            Routing routing = this.routing;
            // Without an address, UDP to any address goes up: a DHCP server may send its OFFER and ACK to the
            // address it offers (RFC 2131 section 4.1); UDP passes only the address source's port then.
            boolean unconfiguredUdp = !routing.isConfigured() && header.protocol() == IpProtocol.UDP;
            if (!routing.accepts(header.destination()) && !unconfiguredUdp) {
                counters.drop(DropReason.NOT_FOR_US); // a host does not forward (RFC 1122 section 3.3.1.5)
                return;
            }
            Ipv4Address source = header.source();
            if (source.isMulticast() || routing.isBroadcast(source)) { // RFC 1122 section 3.2.1.3
                counters.drop(DropReason.BAD_SOURCE);
                return;
            }
            counters.received();
            next = demux.of(header.protocol(), checksumVouched && !header.isFragment());
            if (next == null) {
                counters.drop(DropReason.NO_LISTENER);
                return;
            }
            if (header.isFragment()) {
                Reassembler.Complete whole;
                synchronized (reassembler) {
                    whole = reassembler.add(header, packet, view.payloadIndex(), now);
                }
                if (whole == null) return;
                header = whole.header();
                payload = whole.payload();
            } else {
                int start = view.payloadIndex();
                payload = packet.setIndex(start, start + header.payloadLength());
            }
        } finally {
            if (payload != packet) packet.release();
        }
        next.input(header, payload, now);
    }

    /**
     * Advances time to {@code now}: drops datagrams whose fragments did not all arrive in time.
     *
     * @return the next deadline, or {@link Long#MAX_VALUE}
     */
    long poll(long now) {
        int expired;
        long next;
        synchronized (reassembler) {
            int before = reassembler.inProgress();
            next = reassembler.expire(now);
            expired = before - reassembler.inProgress();
        }
        if (expired > 0) LOG.log(Level.DEBUG, "Gave up reassembling {0} datagram(s) whose fragments did not all arrive", expired);
        return next;
    }

    @Override
    public void write(Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler) throws IOException {
        send(destination, protocol, size, filler, false, clock.elapsedNanos());
    }

    /**
     * Sends a datagram from our address; {@code filler} writes at most {@code size} payload bytes at the writer index
     * of a buffer it must neither release nor keep. Never blocks: see the class comment.
     *
     * @param dontFragment set DF, and refuse a datagram larger than the link's MTU rather than fragment it
     * @throws java.net.NoRouteToHostException when the destination is off the link and there is no gateway, or the
     *     stack has no address yet
     * @throws DatagramTooBigException when {@code dontFragment} is set and the datagram does not fit one packet
     * @throws IllegalArgumentException when {@code size} is negative or beyond the largest datagram
     */
    void send(Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler, boolean dontFragment, long now)
            throws IOException {
        Routing routing = this.routing;
        if (!routing.isConfigured()) throw Routing.notConfigured(destination);
        send(routing, destination, protocol, size, filler, dontFragment, now);
    }

    /**
     * {@link #send(Ipv4Address, IpProtocol, int, Consumer, boolean, long)} for the address source (the DHCP
     * client) only: also while the stack has no address, from 0.0.0.0 then (RFC 2131 section 4.1).
     */
    void sendForAddressSource(Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler, long now)
            throws IOException {
        send(routing, destination, protocol, size, filler, false, now);
    }

    /**
     * Sends a datagram from our address whose transport checksum the device finishes: {@code filler} writes the
     * payload with the checksum field at {@code checksumOffset} holding the pseudo-header's folded sum. A payload
     * longer than {@code segmentSize} octets of TCP data (if not 0) is a TCP segment for the device to cut; it may
     * exceed the MTU up to the largest frame the device takes. Only over a device whose offloads the stack turned
     * on (see {@link DirectEthernet#largestPayload}); never blocks.
     *
     * @throws java.net.NoRouteToHostException as {@link #send(Ipv4Address, IpProtocol, int, Consumer, boolean, long)}
     * @throws IllegalArgumentException when {@code size} is beyond what the device takes
     */
    void sendPartialChecksum(Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler,
            int checksumOffset, int segmentSize, long now) throws IOException {
        Routing routing = this.routing;
        if (!routing.isConfigured()) throw Routing.notConfigured(destination);
        int largest = ethernet.largestPayload() - Ipv4Packet.HEADER_LENGTH;
        if (size > largest) {
            throw new IllegalArgumentException("The device takes IPv4 payloads of at most " + largest + " bytes, not " + size + ".");
        }
        // DF on whatever the device may cut: a datagram over the MTU, and any that could be segmented (its TCP data
        // beyond segmentSize), since the device numbers the pieces ID, ID+1, ... (RFC 6864 section 4.1: IDs are
        // not to be reused for datagrams that may be fragmented; atomic ones need none).
        boolean dontFragment = size > ethernet.mtu() - Ipv4Packet.HEADER_LENGTH || (segmentSize > 0 && size > segmentSize);
        send(routing, destination, protocol, size, filler, dontFragment, checksumOffset, segmentSize, now);
    }

    private void send(Routing routing, Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler,
            boolean dontFragment, long now) throws IOException {
        send(routing, destination, protocol, size, filler, dontFragment, -1, 0, now);
    }

    /** @param checksumOffset where the device is to store the checksum it finishes, from the payload's start; -1: none */
    private void send(Routing routing, Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler,
            boolean dontFragment, int checksumOffset, int segmentSize, long now) throws IOException {
        if (size < 0 || size > Ipv4Repr.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("An IPv4 payload is 0 to " + Ipv4Repr.MAX_PAYLOAD_LENGTH + " bytes, not " + size + ".");
        }
        // A datagram whose checksum the device finishes never fragments: the device takes it whole, or cuts its TCP.
        int maxPayload = checksumOffset >= 0 ? ethernet.largestPayload() - Ipv4Packet.HEADER_LENGTH
                : ethernet.mtu() - Ipv4Packet.HEADER_LENGTH;
        if (dontFragment && size > maxPayload) throw new DatagramTooBigException(size, maxPayload);
        Ipv4Address nextHop = null;
        MacAddress mac;
        if (routing.isBroadcast(destination)) {
            mac = MacAddress.BROADCAST;
        } else if (destination.isMulticast()) {
            mac = Routing.multicastMac(destination);
        } else {
            nextHop = routing.nextHop(destination);
            mac = arp.lookup(nextHop, now);
        }
        Outgoing datagram = new Outgoing(routing.address(), destination, protocol, nextIdentification(), dontFragment,
                checksumOffset, segmentSize);
        if (mac != null && size <= maxPayload) {
            datagram.writeInPlace(mac, size, filler);
            return;
        }
        ByteBuf payload = allocator.buffer(size, size);
        try {
            filler.accept(payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        datagram.payload = payload;
        if (mac == null) mac = arp.resolve(nextHop, datagram, now); // ARP owns it unless it knows the address already
        if (mac != null) datagram.transmit(mac);
    }

    @Override
    public Ipv4Address source(Ipv4Address destination) {
        return routing.address();
    }

    @Override
    public Ipv4Prefix prefix() {
        return routing.prefix();
    }

    @Override
    public int mtu(Ipv4Address destination) {
        return ethernet.mtu() - Ipv4Packet.HEADER_LENGTH;
    }

    /** Releases the fragments held for reassembly, and drops every fragment from now on. */
    @Override
    public void disconnect() {
        synchronized (reassembler) {
            reassembler.close();
        }
    }

    Routing routing() {
        return routing;
    }

    /** Replaces the address, prefix and gateway; datagrams already waiting for ARP keep the source they had. */
    void configure(Routing next) {
        routing = next;
    }

    LayerStats stats() {
        return counters.snapshot();
    }

    /** For tests: datagrams being reassembled. */
    int reassembling() {
        synchronized (reassembler) {
            return reassembler.inProgress();
        }
    }

    private int nextIdentification() {
        return identification.getAndIncrement() & 0xFFFF;
    }

    /** One datagram on its way out; waits in ARP's queue (as a {@link PendingPacket}) when its next hop is not known. */
    private final class Outgoing implements PendingPacket {
        private final Ipv4Address source;
        private final Ipv4Address destination;
        private final IpProtocol protocol;
        private final int id;
        private final boolean dontFragment;
        private final int checksumOffset; // -1: the payload's checksum is complete
        private final int segmentSize; // 0: one segment
        ByteBuf payload; // ours until transmit() or discard()

        Outgoing(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int id, boolean dontFragment,
                int checksumOffset, int segmentSize) {
            this.source = source;
            this.destination = destination;
            this.protocol = protocol;
            this.id = id;
            this.dontFragment = dontFragment;
            this.checksumOffset = checksumOffset;
            this.segmentSize = segmentSize;
        }

        /** One frame whose payload {@code filler} writes straight into the device's buffer, behind a header written after it. */
        void writeInPlace(MacAddress mac, int size, Consumer<ByteBuf> filler) throws IOException {
            ethernet.write(mac, EtherType.IPV4, Ipv4Packet.HEADER_LENGTH + size, buf -> {
                int start = buf.writerIndex();
                buf.writerIndex(start + Ipv4Packet.HEADER_LENGTH);
                filler.accept(buf);
                int end = buf.writerIndex();
                buf.writerIndex(start);
                header(end - start - Ipv4Packet.HEADER_LENGTH, false, 0).emit(buf);
                buf.writerIndex(end);
                requestOffload(buf, start, end - start - Ipv4Packet.HEADER_LENGTH);
            });
            counters.sent();
        }

        /**
         * Fills in the frame's {@link VirtioNetHeader} for a datagram at {@code start} whose checksum the device
         * finishes: where the checksum is, and for a TCP segment of more than {@code segmentSize} octets of data,
         * that the device cuts it (its data follows a TCP header whose data offset says how long it is).
         */
        private void requestOffload(ByteBuf frame, int start, int payloadLength) {
            if (checksumOffset < 0) return;
            int transport = start + Ipv4Packet.HEADER_LENGTH - frame.readerIndex(); // from the frame's first octet
            VirtioNetHeader.requestChecksum(frame, transport, checksumOffset);
            if (segmentSize == 0 || protocol != IpProtocol.TCP) return;
            int tcpHeaderLength = (frame.getUnsignedByte(start + Ipv4Packet.HEADER_LENGTH + 12) >> 4) * 4;
            if (payloadLength - tcpHeaderLength > segmentSize) {
                VirtioNetHeader.requestSegmentation(frame, VirtioNetHeader.GSO_TCPV4, transport + tcpHeaderLength,
                        segmentSize);
            }
        }

        @Override
        public int length() {
            return payload.readableBytes();
        }

        @Override
        public void transmit(MacAddress mac) throws IOException {
            try {
                int length = payload.readableBytes();
                if (checksumOffset >= 0) { // one frame, which the device finishes (and may cut): see send()
                    Ipv4Repr header = header(length, false, 0);
                    ethernet.write(mac, EtherType.IPV4, header.bufferLength(), buf -> {
                        int start = buf.writerIndex();
                        header.emit(buf);
                        buf.writeBytes(payload, payload.readerIndex(), length);
                        requestOffload(buf, start, length);
                    });
                    counters.sent();
                    return;
                }
                int maxPayload = ethernet.mtu() - Ipv4Packet.HEADER_LENGTH;
                // RFC 791 section 3.2: every fragment but the last carries a multiple of 8 octets.
                int perFragment = length <= maxPayload ? length : maxPayload & ~7;
                int offset = 0;
                do {
                    int n = Math.min(perFragment, length - offset);
                    boolean more = offset + n < length;
                    Ipv4Repr header = header(n, more, offset);
                    int from = payload.readerIndex() + offset;
                    ethernet.write(mac, EtherType.IPV4, header.bufferLength(), buf -> {
                        header.emit(buf);
                        buf.writeBytes(payload, from, n);
                    });
                    counters.sent();
                    offset += n;
                } while (offset < length);
            } finally {
                payload.release();
            }
        }

        @Override
        public void discard() {
            payload.release();
        }

        private Ipv4Repr header(int payloadLength, boolean moreFragments, int fragmentOffset) {
            return new Ipv4Repr(source, destination, protocol, payloadLength, TTL, 0, 0, id, dontFragment, moreFragments, fragmentOffset);
        }
    }
}
