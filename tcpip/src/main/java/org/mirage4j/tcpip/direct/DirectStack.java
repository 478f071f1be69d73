package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.Random;
import org.mirage4j.api.net.Arp;
import org.mirage4j.api.net.Ethernet;
import org.mirage4j.api.net.Icmp;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Ipv4;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.api.net.Tcp;
import org.mirage4j.api.net.Udp;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.link.Links;
import org.mirage4j.tcpip.tcp.TcpConfig;
import org.mirage4j.tcpip.tcp.cc.CongestionAlgorithm;
import org.mirage4j.tcpip.tcp.TcpStats;
import org.mirage4j.tcpip.wire.Ipv4Repr;

/**
 * mirage4j's own TCP/IP stack (mirage-tcpip's direct stack) over a {@link Network}: Ethernet, ARP, IPv4 with
 * fragmentation and reassembly, ICMP, UDP and TCP, every byte handled in Java.
 *
 * <p>Its address, prefix and gateway come from an {@link Ipv4Source} chosen at build time: the runtime keys
 * {@code ipv4} and {@code ipv4-gateway} ({@link StaticIpv4Module}), or DHCP ({@link DhcpIpv4Module}).
 * {@link #connect()} returns once the stack has an address. While it has none (DHCP has no lease yet, or lost
 * it), the stack sends and receives only the source's UDP datagrams: sending anything else fails with a
 * {@link java.net.NoRouteToHostException}, and everything else received is dropped.
 *
 * <p>Threads. The layers do no I/O of their own and read no clock: the edges feed them.
 * <ul>
 *   <li>the receive loop, one platform thread ({@code tcpip-receive}) running {@link Network#listen}: each frame is
 *       handled to the end (answers included) before the next, with the clock read once per frame;</li>
 *   <li>the timer, one platform thread ({@code tcpip-timer}): feeds the time to ARP (retries, expiry),
 *       reassembly (timeouts) and TCP (retransmissions, delayed ACKs, TIME-WAIT), sleeping until the next deadline
 *       and at most 100 ms; TCP wakes it sooner when it wants a timer earlier;</li>
 *   <li>application code on virtual threads: one per listening UDP port, one accepting per listening TCP port
 *       and one per TCP connection, and the callers of {@link Udp#write}, {@link Arp#query} and the TCP flows.</li>
 * </ul>
 * TCP's engine has one lock of its own, taken by all three; see {@link DirectTcp}.
 * Over a device with checksum and segmentation offloads ({@link Network#enableOffloads}, asked for in
 * {@link #connect()}), TCP hands the device segments of up to 64 KiB with their checksums left to it, and received
 * frames the device vouched for skip TCP's checksum pass (see {@link ReceivedChecksum}). Without offloads (a device
 * without them, or under {@code --pcap} or {@code --faults}, which keep frames plain) nothing changes.
 * A frame whose handling throws is counted ({@link DropReason#INTERNAL_ERROR}) and logged at the loop's edge, and
 * the loop goes on.
 */
@Singleton
public final class DirectStack implements StackV4V6 {

    /** The name of the stack's own {@link System.Logger}; the layers log as {@code tcpip.arp}, {@code tcpip.ipv4}, etc. */
    public static final String LOGGER_NAME = "tcpip.direct";

    private static final Logger LOG = System.getLogger(LOGGER_NAME);
    private static final long TIMER_MAX_SLEEP_NANOS = 100_000_000L;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Unexpected failures logged at warning before the rest go to debug, so a flood cannot fill the log. */
    private static final int FAILURES_LOGGED = 10;
    /** The smallest MTU IPv4 works over (RFC 791 section 3.2). */
    private static final int MIN_MTU = 68;

    private final Network network;
    private final MonotonicClock clock;
    private final Random random;
    private final ByteBufAllocator allocator;
    private final Ipv4Source source;
    private final Object configuring = new Object(); // serialises configuration changes
    private final DirectEthernet ethernet;
    private final DirectArp arp;
    private final DirectIpv4 ipv4;
    private final DirectIcmp icmp;
    private final DirectUdp udp;
    private final DirectTcp tcp;
    private final LayerCounters counters = new LayerCounters();
    private final AtomicLong failures = new AtomicLong();
    private final PacketInput arpInput;
    private final PacketInput ipv4Input;
    private final PacketInput vouchedIpv4Input; // for frames whose checksums the device vouched for
    private volatile Offloads offloads = Offloads.NONE; // what the device turned on, set by connect()
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private final boolean ownTimer;
    private volatile boolean running;
    private boolean used; // guarded by lifecycle: connect() was called
    private Thread timer; // guarded by lifecycle
    private volatile Thread timerThread; // the timer, for TCP to wake it
    private volatile long timerWakeAt = Long.MAX_VALUE; // when the timer plans to wake; MAX_VALUE while it is awake

    /**
     * Makes the stack; does no I/O (see {@link #connect()}).
     *
     * @param source where the stack's address comes from: {@link StaticIpv4Module} or {@link DhcpIpv4Module}
     */
    @Inject
    public DirectStack(Network network, MonotonicClock clock, Random random, Ipv4Source source,
            @Key("pcap") String pcap, @Key("faults") String faults, @Key("tcp-congestion") String congestion,
            @Key("tcp-nodelay") boolean noDelay) {
        this(new Link(link(network, pcap, faults)), clock, random, source, ByteBufAllocator.DEFAULT, ArpTable.Limits.DEFAULT,
                Reassembler.Limits.DEFAULT, DirectUdp.QUEUE_CAPACITY, tcpConfig(congestion, noDelay), true);
    }

    /** A stack straight on {@code network}: no capture, no injected faults, TCP's defaults. */
    public DirectStack(Network network, MonotonicClock clock, Random random, Ipv4Source source) {
        this(network, clock, random, source, "", "", "cubic", false);
    }

    /**
     * TCP's settings from the keys {@code --tcp-congestion} and {@code --tcp-nodelay} (the default for every flow;
     * a flow can still change its own no-delay).
     *
     * @throws UncheckedIOException wrapping a {@link DeviceException} that says what is wrong with the key's text
     */
    private static TcpConfig tcpConfig(String congestion, boolean noDelay) {
        try {
            return TcpConfig.DEFAULT.toBuilder().congestionControl(CongestionAlgorithm.parse(congestion))
                    .noDelay(noDelay).build();
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new DeviceException(e.getMessage()));
        }
    }

    /**
     * What the stack sends and receives through: {@code network} under the decorators that {@code --pcap} and
     * {@code --faults} ask for (a plain pass-through when both are blank). The stack connects and disconnects
     * only these decorators; the runtime owns {@code network} itself.
     *
     * @throws UncheckedIOException wrapping a {@link DeviceException} that says what is wrong with a key's text
     */
    private static Network link(Network network, String pcap, String faults) {
        try {
            return Links.decorate(network, pcap, faults);
        } catch (DeviceException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For tests: other bounds than the defaults, and, with {@code ownTimer} false, no timer thread: the test
     * feeds the time itself through {@link #poll}.
     */
    DirectStack(Network network, MonotonicClock clock, Random random, Ipv4Source source, ByteBufAllocator allocator,
            ArpTable.Limits arpLimits, Reassembler.Limits reassembly, int udpQueue, boolean ownTimer) {
        this(new Link(link(network, "", "")), clock, random, source, allocator, arpLimits, reassembly, udpQueue,
                TcpConfig.DEFAULT, ownTimer);
    }

    /** For tests: TCP with other settings than {@link TcpConfig#DEFAULT}, on {@code allocator}, with a timer thread. */
    DirectStack(Network network, MonotonicClock clock, Random random, Ipv4Source source, ByteBufAllocator allocator,
            TcpConfig tcpConfig) {
        this(new Link(link(network, "", "")), clock, random, source, allocator, ArpTable.Limits.DEFAULT,
                Reassembler.Limits.DEFAULT, DirectUdp.QUEUE_CAPACITY, tcpConfig, true);
    }

    /** The network as the stack sees it, decorated already (see {@link #link}). */
    private record Link(Network network) {}

    private DirectStack(Link link, MonotonicClock clock, Random random, Ipv4Source source, ByteBufAllocator allocator,
            ArpTable.Limits arpLimits, Reassembler.Limits reassembly, int udpQueue, TcpConfig tcpConfig, boolean ownTimer) {
        Network network = link.network();
        this.network = network;
        this.ownTimer = ownTimer;
        this.clock = clock;
        this.random = random;
        this.allocator = allocator;
        this.source = source;
        this.ethernet = new DirectEthernet(network, clock);
        ethernet.join(Routing.multicastMac(Routing.ALL_HOSTS));
        this.arp = new DirectArp(ethernet, clock, List.of(), arpLimits);
        this.ipv4 = new DirectIpv4(ethernet, arp, clock, Routing.UNCONFIGURED, allocator, reassembly);
        this.icmp = new DirectIcmp(this.ipv4, clock, allocator);
        this.udp = new DirectUdp(this.ipv4, icmp, clock, random, udpQueue);
        if (source.port() != 0) udp.attach(source);
        this.tcp = new DirectTcp(this.ipv4, clock, random, allocator, tcpConfig, this::wakeTimerBy);
        DirectTcp tcpLayer = this.tcp;
        Ipv4Demux demux = new Ipv4Demux(icmp::input, tcp::input, udp::input,
                (header, payload, now) -> tcpLayer.input(header, payload, true, now));
        this.arpInput = arp::input;
        this.ipv4Input = (packet, now) -> this.ipv4.input(packet, demux, now);
        this.vouchedIpv4Input = (packet, now) -> this.ipv4.input(packet, demux, true, now);
    }

    /**
     * Starts the receive loop and the timer, then the address source, and returns once the stack has an address,
     * announced with a gratuitous ARP. The network must be connected already (the runtime connects it first).
     *
     * @throws DeviceException when the stack gets no address (a wrong key, no DHCP server answering in time) or
     *     the link's MTU is too small, saying what to do; the stack is disconnected then
     * @throws IllegalStateException when called a second time
     */
    @Override
    public void connect() throws IOException {
        int mtu = network.mtu();
        if (mtu < MIN_MTU) {
            throw new DeviceException("The network's MTU is " + mtu + " bytes, below the " + MIN_MTU
                    + " that IPv4 needs: raise the interface's MTU.");
        }
        synchronized (lifecycle) {
            if (used) throw new IllegalStateException("The direct stack was connected before; make a new one to connect again.");
            used = true;
            network.connect(); // the --pcap and --faults decorators: opens the capture file, starts fault timing
            running = true;
            ipv4.startIdentificationAt(random.nextInt(1 << 16));
            startTcp(mtu);
            if (ownTimer) {
                timer = Thread.ofPlatform().daemon().name("tcpip-timer").unstarted(this::timerLoop);
                timerThread = timer;
                timer.start();
            }
            // Daemon: it ends when the network is disconnected, which the runtime does after disconnecting us.
            Thread.ofPlatform().daemon().name("tcpip-receive").start(this::receiveLoop);
        }
        try {
            source.start(new SourceHost());
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
        Routing routing = ipv4.routing();
        LOG.log(Level.INFO, "Direct stack up on {0} as {1}{2} (MTU {3}; offloads: {4})", network.mac(), routing.prefix(),
                routing.gateway() == null ? "" : " via gateway " + routing.gateway(), String.valueOf(mtu), describe(offloads));
    }

    /**
     * Asks the device for every offload, then starts TCP for what it granted: segments of up to the device's largest
     * frame (less the Ethernet and IPv4 headers) when it cuts them, partial checksums when it finishes them.
     */
    private void startTcp(int mtu) throws IOException {
        Offloads on;
        try {
            on = network.enableOffloads(Offloads.ALL);
        } catch (IOException e) {
            // The stack works without: plain frames of the MTU, checksums in Java.
            LOG.log(Level.WARNING, "The network device could not turn its offloads on, so the stack goes on without them: "
                    + e.getMessage());
            on = Offloads.NONE;
        }
        int segmentLimit = 0;
        if (on.tcpSegmentation()) {
            ethernet.allowLargeFrames(on.maxFrameSize());
            segmentLimit = Math.min(on.maxFrameSize() - 14 - 20, Ipv4Repr.MAX_PAYLOAD_LENGTH);
            // TCP's config wants room for two segments at least; a device that takes less is no help.
            if (segmentLimit < 2 * mtu) segmentLimit = 0;
        }
        offloads = on;
        tcp.start(mtu, on.checksum(), segmentLimit);
        if (on.header()) LOG.log(Level.DEBUG, "Network offloads on: {0}", on);
    }

    /**
     * Stops the timer and every UDP port, releases what the layers hold (packets waiting for ARP, fragments),
     * wakes threads waiting in {@link Arp#query} with an error, and makes {@link #listen()} return. Frames the
     * network still delivers are dropped until it is disconnected itself. Idempotent; never throws.
     */
    @Override
    public void disconnect() {
        Thread stopping;
        synchronized (lifecycle) {
            if (stopped.getCount() == 0) return;
            running = false;
            stopping = timer;
        }
        source.stop();
        tcp.stop(); // resets every connection while ARP still knows the peers; wakes every flow's threads
        if (stopping != null) {
            LockSupport.unpark(stopping);
            try {
                if (!stopping.join(STOP_WAIT)) LOG.log(Level.WARNING, "The stack's timer did not stop within {0}", STOP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        udp.disconnect();
        arp.disconnect();
        ipv4.disconnect();
        network.disconnect(); // the decorators only: flushes the capture, logs the faults applied
        stopped.countDown();
        TcpStats tcpStats = tcp.stats();
        LOG.log(Level.INFO, "Direct stack down: {0}; {1}", stats(), tcpStats == null ? "TCP never started" : tcpStats);
    }

    /**
     * {@inheritDoc} Its flows are {@link DirectFlow}s, with per-connection statistics. {@code listen} and
     * {@code connect} work once the stack is connected, until it is disconnected.
     */
    @Override
    public Tcp tcp() {
        return tcp;
    }

    @Override
    public Udp udp() {
        return udp;
    }

    /** Our IPv4 address; none while the address source has not given one. */
    @Override
    public List<IpAddress> addresses() {
        Routing routing = ipv4.routing();
        return routing.isConfigured() ? List.of(routing.address()) : List.of();
    }

    /** Blocks until {@link #disconnect()}, or until the network stops working (logged as an error). */
    @Override
    public void listen() throws InterruptedException {
        stopped.await();
    }

    /** The Ethernet layer. */
    public Ethernet ethernet() {
        return ethernet;
    }

    /** The ARP layer. */
    public Arp arp() {
        return arp;
    }

    /** The IPv4 layer. */
    public Ipv4 ipv4() {
        return ipv4;
    }

    /** The ICMP layer. */
    public Icmp icmp() {
        return icmp;
    }

    /** The offloads in a few words, for the log. */
    private static String describe(Offloads on) {
        if (!on.checksum()) return "none";
        return "checksum" + (on.tcpSegmentation() ? ", TSO" : "") + (on.largeReceive() ? ", large receive" : "");
    }

    /** What the network device turned on for the stack at {@link #connect()}; {@link Offloads#NONE} before, or without. */
    public Offloads offloads() {
        return offloads;
    }

    /** The counters of every layer since the stack was made. */
    public DirectStats stats() {
        return new DirectStats(ethernet.stats(), arp.stats(), ipv4.stats(), icmp.stats(), udp.stats(), counters.snapshot());
    }

    /** TCP's counters and tables ({@code null} before {@link #connect()}). */
    /** Every TCP connection's sequence variables and timers, one line each: for tests diagnosing a stall. */
    String describeConnections() {
        return tcp.describeConnections();
    }

    public TcpStats tcpStats() {
        return tcp.stats();
    }

    /**
     * Handles one frame from the network: the receive loop's body, and the way tests feed frames in. Takes
     * ownership of {@code frame}; never throws.
     */
    void receive(ByteBuf frame) {
        if (!running) {
            frame.release();
            counters.drop(DropReason.STOPPED);
            return;
        }
        counters.received();
        try {
            PacketInput ipv4Path = ipv4Input;
            if (offloads.header()) {
                int checksum = ReceivedChecksum.check(frame);
                if (checksum == ReceivedChecksum.MALFORMED) {
                    frame.release();
                    counters.drop(DropReason.BAD_CHECKSUM);
                    return;
                }
                if (checksum == ReceivedChecksum.VOUCHED) ipv4Path = vouchedIpv4Input;
            }
            ethernet.input(frame, arpInput, ipv4Path, null, clock.elapsedNanos());
        } catch (RuntimeException e) {
            // A bug, not bad input: the layers release what they own on every path, so only count and go on.
            counters.drop(DropReason.INTERNAL_ERROR);
            logFailure("Handling a received frame failed; the stack goes on with the next one", e);
        }
    }

    /**
     * Feeds the time to the layers and the address source: ARP retries and expiry, reassembly timeouts, DHCP's
     * retransmissions and lease times.
     *
     * @return when to call again at the latest
     */
    long poll(long now) {
        try {
            return Math.min(Math.min(arp.poll(now), ipv4.poll(now)), Math.min(source.poll(now), tcp.poll()));
        } catch (RuntimeException e) {
            counters.drop(DropReason.INTERNAL_ERROR);
            logFailure("The stack's timer failed; it goes on", e);
            return now + TIMER_MAX_SLEEP_NANOS;
        }
    }

    private void receiveLoop() {
        try {
            network.listen(this::receive, tcp.burstsOnThisThread()); // TCP wakes its flows once per burst
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.log(Level.ERROR, "The network device failed, so the direct stack stops: " + e.getMessage(), e);
                disconnect();
            }
        }
    }

    private void timerLoop() {
        while (running) {
            timerWakeAt = Long.MAX_VALUE; // awake: a deadline TCP sets from now on unparks us, so none is missed
            long now = clock.elapsedNanos();
            long next = poll(now);
            long sleep = Math.min(next - now, TIMER_MAX_SLEEP_NANOS);
            if (sleep > 0) {
                timerWakeAt = now + sleep;
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    /** TCP wants its timer at {@code deadline}: wake the timer if it sleeps past it. Never blocks. */
    private void wakeTimerBy(long deadline) {
        Thread t = timerThread;
        if (t != null && deadline < timerWakeAt) LockSupport.unpark(t);
    }

    /** What the address source may do to this stack. */
    private final class SourceHost implements Ipv4Source.Host {

        @Override
        public MacAddress mac() {
            return network.mac();
        }

        @Override
        public long now() {
            return clock.elapsedNanos();
        }

        @Override
        public void configure(Ipv4Prefix address, Ipv4Address gateway) {
            boolean onLink = gateway == null
                    || address.contains(gateway) && !gateway.equals(address.address()) && !gateway.equals(address.broadcast());
            if (!onLink) {
                throw new IllegalArgumentException("Gateway " + gateway + " is not another host of " + address + ".");
            }
            Routing next = new Routing(address, gateway);
            synchronized (configuring) {
                if (next.equals(ipv4.routing())) return;
                ipv4.configure(next);
                arp.setAddresses(List.of(address.address())); // announces the address if it is new
            }
        }

        @Override
        public void deconfigure() {
            synchronized (configuring) {
                ipv4.configure(Routing.UNCONFIGURED);
                arp.setAddresses(List.of());
            }
        }

        @Override
        public void send(int sourcePort, Ipv4Address destination, int destinationPort, int size, Consumer<ByteBuf> filler)
                throws IOException {
            ByteBuf payload = allocator.buffer(size, size);
            try {
                filler.accept(payload);
            } catch (RuntimeException e) {
                payload.release();
                throw e;
            }
            udp.writeForAddressSource(sourcePort, destination, destinationPort, payload); // releases the payload
        }
    }

    private void logFailure(String message, RuntimeException e) {
        Level level = failures.incrementAndGet() <= FAILURES_LOGGED ? Level.WARNING : Level.DEBUG;
        LOG.log(level, message, e);
    }
}
