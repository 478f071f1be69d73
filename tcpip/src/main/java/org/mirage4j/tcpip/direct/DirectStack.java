package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.api.net.Tcp;
import org.mirage4j.api.net.Udp;
import org.mirage4j.api.time.MonotonicClock;

/**
 * mirage4j's own TCP/IP stack (mirage-tcpip's direct stack) over a {@link Network}: Ethernet, ARP, IPv4 with
 * fragmentation and reassembly, ICMP and UDP, every byte handled in Java. TCP comes later: {@link #tcp()} says so.
 *
 * <p>Configuration comes from the runtime keys {@code ipv4} (our address and the link's prefix, such as
 * {@code 10.0.0.2/24}) and {@code ipv4-gateway} (the default gateway, empty for none), checked at
 * {@link #connect()}.
 *
 * <p>Threads. The layers do no I/O of their own and read no clock: the edges feed them.
 * <ul>
 *   <li>the receive loop, one platform thread ({@code tcpip-receive}) running {@link Network#listen}: each frame is
 *       handled to the end (answers included) before the next, with the clock read once per frame;</li>
 *   <li>the timer, one platform thread ({@code tcpip-timer}): feeds the time to ARP (retries, expiry) and
 *       reassembly (timeouts), sleeping until the next deadline and at most 100 ms;</li>
 *   <li>application code on virtual threads: one per listening UDP port, and the callers of
 *       {@link Udp#write} and {@link Arp#query}.</li>
 * </ul>
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
    private final Ipv4Prefix prefix;
    private final String configError; // null when the keys are fine
    private final DirectEthernet ethernet;
    private final DirectArp arp;
    private final DirectIpv4 ipv4;
    private final DirectIcmp icmp;
    private final DirectUdp udp;
    private final Tcp tcp = new UnavailableTcp();
    private final LayerCounters counters = new LayerCounters();
    private final AtomicLong failures = new AtomicLong();
    private final PacketInput arpInput;
    private final PacketInput ipv4Input;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private final boolean ownTimer;
    private volatile boolean running;
    private boolean used; // guarded by lifecycle: connect() was called
    private Thread timer; // guarded by lifecycle

    /**
     * Makes the stack; does no I/O (see {@link #connect()}).
     *
     * @param ipv4 our address and the link's prefix, from the runtime key {@code ipv4}
     * @param gateway the default gateway's address, from the runtime key {@code ipv4-gateway}; empty for none
     */
    @Inject
    public DirectStack(Network network, MonotonicClock clock, Random random, @Key("ipv4") Ipv4Prefix ipv4,
            @Key("ipv4-gateway") String gateway) {
        this(network, clock, random, ipv4, gateway, ByteBufAllocator.DEFAULT, ArpTable.Limits.DEFAULT,
                Reassembler.Limits.DEFAULT, DirectUdp.QUEUE_CAPACITY, true);
    }

    /**
     * For tests: other bounds than the defaults, and, with {@code ownTimer} false, no timer thread: the test
     * feeds the time itself through {@link #poll}.
     */
    DirectStack(Network network, MonotonicClock clock, Random random, Ipv4Prefix ipv4, String gateway,
            ByteBufAllocator allocator, ArpTable.Limits arpLimits, Reassembler.Limits reassembly, int udpQueue,
            boolean ownTimer) {
        this.network = network;
        this.ownTimer = ownTimer;
        this.clock = clock;
        this.random = random;
        this.prefix = ipv4;
        String gatewayText = gateway.strip();
        Ipv4Address gatewayAddress = null;
        String error = checkAddress(ipv4);
        if (error == null && !gatewayText.isEmpty()) {
            try {
                gatewayAddress = Ipv4Address.parse(gatewayText);
                error = checkGateway(ipv4, gatewayAddress);
            } catch (IllegalArgumentException e) {
                error = "--ipv4-gateway='" + gatewayText + "' is not an IPv4 address such as 10.0.0.1:"
                        + " give the gateway's address, or leave it empty for none.";
            }
        }
        this.configError = error;
        Routing routing = new Routing(ipv4, error == null ? gatewayAddress : null);
        this.ethernet = new DirectEthernet(network, clock);
        ethernet.join(Routing.multicastMac(Routing.ALL_HOSTS));
        this.arp = new DirectArp(ethernet, clock, List.of(ipv4.address()), arpLimits);
        this.ipv4 = new DirectIpv4(ethernet, arp, clock, routing, allocator, reassembly);
        this.icmp = new DirectIcmp(this.ipv4, clock, allocator);
        this.udp = new DirectUdp(this.ipv4, icmp, clock, random, udpQueue);
        Ipv4Demux demux = new Ipv4Demux(icmp::input, null, udp::input);
        this.arpInput = arp::input;
        this.ipv4Input = (packet, now) -> this.ipv4.input(packet, demux, now);
    }

    private static String checkAddress(Ipv4Prefix ipv4) {
        Ipv4Address address = ipv4.address();
        boolean networkOrBroadcast = ipv4.length() < 31 && (address.equals(ipv4.network()) || address.equals(ipv4.broadcast()));
        if (address.isUnspecified() || address.isLoopback() || address.isMulticast() || address.isBroadcast() || networkOrBroadcast) {
            return "--ipv4=" + ipv4 + " is not an address a host can have on its link: give one such as 10.0.0.2/24.";
        }
        return null;
    }

    private static String checkGateway(Ipv4Prefix ipv4, Ipv4Address gateway) {
        if (!ipv4.contains(gateway) || gateway.equals(ipv4.address()) || gateway.equals(ipv4.broadcast())) {
            return "--ipv4-gateway=" + gateway + " is not another host on the link of --ipv4=" + ipv4
                    + ": give the address of a router inside " + ipv4.network() + "/" + ipv4.length() + ", or leave it empty for none.";
        }
        return null;
    }

    /**
     * Starts the receive loop and the timer, and announces our address with a gratuitous ARP. The network must be
     * connected already (the runtime connects it first).
     *
     * @throws DeviceException when a key is wrong or the link's MTU is too small, saying what to give instead
     * @throws IllegalStateException when called a second time
     */
    @Override
    public void connect() throws IOException {
        if (configError != null) throw new DeviceException(configError);
        int mtu = network.mtu();
        if (mtu < MIN_MTU) {
            throw new DeviceException("The network's MTU is " + mtu + " bytes, below the " + MIN_MTU
                    + " that IPv4 needs: raise the interface's MTU.");
        }
        synchronized (lifecycle) {
            if (used) throw new IllegalStateException("The direct stack was connected before; make a new one to connect again.");
            used = true;
            running = true;
            ipv4.startIdentificationAt(random.nextInt(1 << 16));
            if (ownTimer) timer = Thread.ofPlatform().daemon().name("tcpip-timer").start(this::timerLoop);
            // Daemon: it ends when the network is disconnected, which the runtime does after disconnecting us.
            Thread.ofPlatform().daemon().name("tcpip-receive").start(this::receiveLoop);
        }
        arp.announce();
        LOG.log(Level.INFO, "Direct stack up on {0} as {1}{2} (MTU {3})", network.mac(), prefix,
                ipv4.routing().gateway() == null ? "" : " via gateway " + ipv4.routing().gateway(), String.valueOf(mtu));
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
        stopped.countDown();
        LOG.log(Level.INFO, "Direct stack down: {0}", stats());
    }

    /** {@inheritDoc} Until TCP comes to the direct stack, {@code listen} and {@code connect} throw {@link TcpUnavailableException}. */
    @Override
    public Tcp tcp() {
        return tcp;
    }

    @Override
    public Udp udp() {
        return udp;
    }

    /** Our IPv4 address. */
    @Override
    public List<IpAddress> addresses() {
        return List.of(prefix.address());
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

    /** The counters of every layer since the stack was made. */
    public DirectStats stats() {
        return new DirectStats(ethernet.stats(), arp.stats(), ipv4.stats(), icmp.stats(), udp.stats(), counters.snapshot());
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
            ethernet.input(frame, arpInput, ipv4Input, null, clock.elapsedNanos());
        } catch (RuntimeException e) {
            // A bug, not bad input: the layers release what they own on every path, so only count and go on.
            counters.drop(DropReason.INTERNAL_ERROR);
            logFailure("Handling a received frame failed; the stack goes on with the next one", e);
        }
    }

    /**
     * Feeds the time to the layers: ARP retries and expiry, reassembly timeouts.
     *
     * @return when to call again at the latest
     */
    long poll(long now) {
        try {
            return Math.min(arp.poll(now), ipv4.poll(now));
        } catch (RuntimeException e) {
            counters.drop(DropReason.INTERNAL_ERROR);
            logFailure("The stack's timer failed; it goes on", e);
            return now + TIMER_MAX_SLEEP_NANOS;
        }
    }

    private void receiveLoop() {
        try {
            network.listen(this::receive);
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.log(Level.ERROR, "The network device failed, so the direct stack stops: " + e.getMessage(), e);
                disconnect();
            }
        }
    }

    private void timerLoop() {
        while (running) {
            long now = clock.elapsedNanos();
            long next = poll(now);
            long sleep = Math.min(next - now, TIMER_MAX_SLEEP_NANOS);
            if (sleep > 0) LockSupport.parkNanos(this, sleep);
        }
    }

    private void logFailure(String message, RuntimeException e) {
        Level level = failures.incrementAndGet() <= FAILURES_LOGGED ? Level.WARNING : Level.DEBUG;
        LOG.log(level, message, e);
    }
}
