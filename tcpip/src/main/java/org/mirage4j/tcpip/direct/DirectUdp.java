package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.DatagramHandler;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Udp;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Malformed;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.UdpPacket;
import org.mirage4j.tcpip.wire.UdpRepr;

/**
 * UDP (RFC 768, RFC 1122 section 4.1) on the direct stack. Received datagrams with a valid checksum (or none) go to
 * their port's {@link UdpPort}; to a port nobody listens on, the sender gets an ICMP port unreachable (when ICMP's
 * rules allow). Sent datagrams always carry a checksum (RFC 1122 section 4.1.3.4).
 *
 * <p>Threads: {@link #input} runs on the receive loop (it reuses one view); the rest may be called from any
 * thread. Handlers run on each port's virtual thread.
 */
final class DirectUdp implements Udp {

    static final String LOGGER_NAME = "tcpip.udp";
    /** How many datagrams per port wait for their handler before further ones are dropped. */
    static final int QUEUE_CAPACITY = 1024;
    /** The ephemeral port range IANA suggests (RFC 6056 section 2.1). */
    static final int EPHEMERAL_FIRST = 49_152;
    static final int EPHEMERAL_LAST = 65_535;

    private final DirectIpv4 ipv4;
    private final DirectIcmp icmp;
    private final MonotonicClock clock;
    private final Random random;
    private final int queueCapacity;
    private final LayerCounters counters = new LayerCounters();
    private final Map<Integer, UdpPort> ports = new ConcurrentHashMap<>();
    private final UdpPacket view = new UdpPacket();
    private final Object lock = new Object(); // guards opening and closing ports, so a port never has two threads
    private volatile boolean disconnected;
    private volatile Ipv4Source source; // takes its port's datagrams on the receive loop; null for none

    DirectUdp(DirectIpv4 ipv4, DirectIcmp icmp, MonotonicClock clock, Random random, int queueCapacity) {
        this.ipv4 = ipv4;
        this.icmp = icmp;
        this.clock = clock;
        this.random = random;
        this.queueCapacity = queueCapacity;
    }

    /** Handles one received datagram. Takes ownership of {@code payload}; never throws on malformed input. */
    void input(Ipv4Repr ip, ByteBuf payload, long now) {
        boolean handedOff = false;
        try {
            Malformed problem = view.wrap(payload);
            Parsed<UdpRepr> parsed = problem == null ? UdpRepr.parse(view, ip.source(), ip.destination()) : Parsed.rejected(problem);
            if (parsed instanceof Parsed.Rejected<UdpRepr>(Malformed reason)) {
                counters.drop(DropReason.of(reason));
                return;
            }
            UdpRepr udp = parsed.valueOrNull();
            Ipv4Source attached = source;
            if (attached != null && udp.destinationPort() == attached.port()) {
                counters.received();
                int start = view.payloadIndex();
                payload.setIndex(start, start + view.payloadLength());
                handedOff = true;
                attached.input(new Datagram(ip.source(), udp.sourcePort(), ip.destination(), udp.destinationPort(), payload), now);
                return;
            }
            if (!ipv4.routing().isConfigured()) {
                counters.drop(DropReason.NOT_FOR_US); // no address yet: only the address source's datagrams are for us
                return;
            }
            UdpPort port = ports.get(udp.destinationPort());
            if (port == null) {
                counters.drop(DropReason.NO_LISTENER);
                icmp.portUnreachable(ip, payload, now);
                return;
            }
            counters.received();
            int start = view.payloadIndex();
            payload.setIndex(start, start + view.payloadLength());
            handedOff = port.offer(new Datagram(ip.source(), udp.sourcePort(), ip.destination(), udp.destinationPort(), payload));
            if (!handedOff) counters.drop(DropReason.QUEUE_FULL);
        } finally {
            if (!handedOff) payload.release();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code port} is not 1 to 65535
     * @throws SocketException when the stack is disconnected
     */
    @Override
    public void listen(int port, DatagramHandler handler) throws IOException {
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("A UDP port to listen on is 1 to 65535, not " + port + ".");
        if (handler == null) throw new IllegalArgumentException("listen needs a handler for UDP port " + port + ".");
        Ipv4Source attached = source;
        if (attached != null && attached.port() == port) {
            throw new IllegalArgumentException("UDP port " + port + " is the stack's own DHCP client's: listen on another port.");
        }
        synchronized (lock) {
            if (disconnected) throw new SocketException("The network stack is disconnected, so UDP port " + port + " cannot listen.");
            UdpPort existing = ports.get(port);
            if (existing != null) {
                existing.replaceHandler(handler);
            } else {
                ports.put(port, new UdpPort(port, handler, queueCapacity));
            }
        }
    }

    /** {@inheritDoc} Datagrams still queued for the port are released, not delivered. */
    @Override
    public void unlisten(int port) {
        synchronized (lock) {
            UdpPort closing = ports.remove(port);
            if (closing != null) closing.close();
        }
    }

    /**
     * {@inheritDoc} Never blocks: a datagram whose next hop is not resolved yet waits in ARP's queue.
     *
     * @throws IllegalArgumentException when the payload is longer than {@link #MAX_PAYLOAD}, a port is out of range,
     *     or {@code destination} is IPv6
     * @throws java.net.NoRouteToHostException when the destination is off the link and there is no gateway
     */
    @Override
    public void write(int sourcePort, IpAddress destination, int destinationPort, ByteBuf payload) throws IOException {
        try {
            if (sourcePort < 0 || sourcePort > 65_535) {
                throw new IllegalArgumentException("A UDP source port is 0 to 65535, not " + sourcePort + ".");
            }
            send(sourcePort, destination, destinationPort, payload);
        } finally {
            payload.release();
        }
    }

    /** {@inheritDoc} The source port is drawn at random from 49152 to 65535 for each datagram (RFC 6056 section 3.3.1). */
    @Override
    public void write(IpAddress destination, int destinationPort, ByteBuf payload) throws IOException {
        try {
            send(ephemeralPort(), destination, destinationPort, payload);
        } finally {
            payload.release();
        }
    }

    /**
     * Hands the datagrams to {@code source}'s port to {@code source}, on the receive loop, before the stack has an
     * address too; until then, every other datagram is dropped.
     */
    void attach(Ipv4Source source) {
        this.source = source;
    }

    /**
     * Sends {@code payload} for the address source: also while the stack has no address (from 0.0.0.0 then), and
     * never blocks. Takes ownership of {@code payload} and releases it, also when it throws.
     */
    void writeForAddressSource(int sourcePort, Ipv4Address destination, int destinationPort, ByteBuf payload) throws IOException {
        try {
            UdpRepr udp = new UdpRepr(sourcePort, destinationPort);
            Ipv4Address from = ipv4.routing().address(); // only the address source changes it, and not meanwhile
            ipv4.sendForAddressSource(destination, IpProtocol.UDP, udp.bufferLength(payload.readableBytes()),
                    buf -> udp.emit(buf, from, destination, payload), clock.elapsedNanos());
            counters.sent();
        } finally {
            payload.release();
        }
    }

    private void send(int sourcePort, IpAddress destination, int destinationPort, ByteBuf payload) throws IOException {
        int length = payload.readableBytes();
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("A UDP payload is at most " + MAX_PAYLOAD + " bytes, not " + length + ": send less per datagram.");
        }
        if (destinationPort < 1 || destinationPort > 65_535) {
            throw new IllegalArgumentException("A UDP destination port is 1 to 65535, not " + destinationPort + ".");
        }
        if (!(destination instanceof Ipv4Address to)) {
            throw new IllegalArgumentException("The direct stack speaks IPv4 only for now, so it cannot send to " + destination
                    + ": use an IPv4 address, or -Dmirage.net=socket.");
        }
        if (disconnected) throw new SocketException("The network stack is disconnected, so it cannot send to " + destination + ":" + destinationPort + ".");
        UdpRepr udp = new UdpRepr(sourcePort, destinationPort);
        Ipv4Address from = ipv4.source(to);
        ipv4.send(to, IpProtocol.UDP, udp.bufferLength(length), buf -> udp.emit(buf, from, to, payload), false, clock.elapsedNanos());
        counters.sent();
    }

    private int ephemeralPort() {
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = random.nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = EPHEMERAL_FIRST + (start + i) % range;
            if (!ports.containsKey(port)) return port;
        }
        return EPHEMERAL_FIRST + start; // every ephemeral port listens: send anyway, replies go to that listener
    }

    /** Closes every port, releasing what they queued; later calls fail. */
    @Override
    public void disconnect() {
        List<UdpPort> closing;
        synchronized (lock) {
            disconnected = true;
            closing = List.copyOf(ports.values());
            ports.clear();
        }
        closing.forEach(UdpPort::close);
    }

    LayerStats stats() {
        return counters.snapshot();
    }
}
