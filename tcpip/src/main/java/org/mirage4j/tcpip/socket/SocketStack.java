package org.mirage4j.tcpip.socket;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.StackV4V6;
import org.mirage4j.api.net.Tcp;
import org.mirage4j.api.net.Udp;

/**
 * The host's own TCP/IP stack behind {@link StackV4V6}, through java.net sockets and NIO
 * channels: the default network of the unix target, the counterpart of mirage-tcpip's socket stack.
 *
 * <p>It serves on the address of the runtime key {@code ipv4} (an {@link Ipv4Prefix}, default
 * {@code 0.0.0.0/0}: every host address, IPv4 and IPv6 where the host allows). The prefix length is
 * not used: the host routes.
 *
 * <p>Threads: every method may be called from any thread. {@link #listen()} blocks its caller
 * until {@link #disconnect()}; the threads that serve listeners are described on {@link Tcp} and
 * {@link Udp}'s implementations (all virtual). The counters may be read at any time.
 */
@Singleton
public final class SocketStack implements StackV4V6 {

    /** The name of the {@link System.Logger} of the socket stack. */
    public static final String LOGGER_NAME = "tcpip.socket";

    /** How many datagrams per UDP port wait for their handler before further ones are dropped. */
    static final int UDP_QUEUE_CAPACITY = 1024;

    private static final Logger LOG = System.getLogger(LOGGER_NAME);

    private final ServeAddress serveAddress;
    private final SocketTcp tcp;
    private final SocketUdp udp;
    private final CountDownLatch disconnected = new CountDownLatch(1);

    /** @param ipv4 the address to serve on, from the runtime key {@code ipv4}; {@code 0.0.0.0/0} for every host address */
    @Inject
    public SocketStack(@Key("ipv4") Ipv4Prefix ipv4) {
        this(ipv4, UDP_QUEUE_CAPACITY);
    }

    /** For tests: a UDP queue small enough to fill. */
    SocketStack(Ipv4Prefix ipv4, int udpQueueCapacity) {
        if (udpQueueCapacity < 1) throw new IllegalArgumentException("A UDP queue holds at least 1 datagram, not " + udpQueueCapacity + ".");
        ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        this.serveAddress = new ServeAddress(ipv4);
        this.tcp = new SocketTcp(serveAddress, allocator);
        this.udp = new SocketUdp(serveAddress, allocator, udpQueueCapacity);
    }

    /**
     * Checks that the host has the address to serve on.
     *
     * @throws DeviceException when it does not, saying which {@code --ipv4} to give instead
     */
    @Override
    public void connect() throws IOException {
        if (serveAddress.everyAddress()) return;
        // Binding a throw-away UDP socket is the host's own answer to "is this address mine?",
        // and unlike an interface lookup it also accepts every 127.x.y.z on Linux.
        try (DatagramChannel probe = serveAddress.openDatagramChannel()) {
            probe.bind(serveAddress.bindAddress(0));
        } catch (BindException e) {
            throw new DeviceException("This host has no IPv4 address " + serveAddress.prefix().address()
                    + " to serve on: give --ipv4 one of its addresses with a prefix (such as 127.0.0.1/8), or 0.0.0.0/0 for all of them.", e);
        }
        LOG.log(Level.DEBUG, () -> "Socket stack serving on " + serveAddress);
    }

    @Override
    public Tcp tcp() {
        return tcp;
    }

    @Override
    public Udp udp() {
        return udp;
    }

    /** The address given by the {@code ipv4} key: {@code 0.0.0.0} when the stack serves on every host address. */
    @Override
    public List<IpAddress> addresses() {
        return serveAddress.addresses();
    }

    /** Blocks until {@link #disconnect()} while the listeners serve on their own threads. */
    @Override
    public void listen() throws InterruptedException {
        disconnected.await();
    }

    /**
     * Closes every listener (freeing their ports before it returns) and every open flow, and makes
     * {@link #listen()} return. Later calls do nothing. Never throws.
     */
    @Override
    public void disconnect() {
        tcp.disconnect();
        udp.disconnect();
        disconnected.countDown();
    }

    /** TCP connections accepted since the stack was made. */
    public long tcpAccepted() {
        return tcp.accepted();
    }

    /** TCP flows open now: accepted ones whose handler has not finished, and connected ones not yet closed. */
    public int tcpActiveFlows() {
        return tcp.activeFlows();
    }

    /** UDP datagrams received on listening ports since the stack was made, dropped ones included. */
    public long udpReceived() {
        return udp.received();
    }

    /** UDP datagrams dropped because their port's handler fell more than the queue's capacity behind. */
    public long udpDropped() {
        return udp.dropped();
    }
}
