package org.mirage4j.tcpip.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.mirage4j.api.net.DatagramHandler;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Udp;

/**
 * {@link Udp} over host datagram channels.
 *
 * <p>Threads: each listening port has its own receive loop and delivery thread (see
 * {@link UdpListener}); every method may be called from any thread, handlers included.
 */
final class SocketUdp implements Udp {

    private static final Logger LOG = System.getLogger(SocketStack.LOGGER_NAME);

    private final ServeAddress serveAddress;
    private final ByteBufAllocator allocator;
    private final int queueCapacity;
    private final Map<Integer, UdpListener> listeners = new ConcurrentHashMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Object lock = new Object(); // guards binding and closing, so a port is never bound twice
    private volatile boolean disconnected;
    private DatagramChannel ephemeral; // guarded by lock; opened by the first write without a source port

    /** @param queueCapacity how many datagrams per port wait for their handler before further ones are dropped */
    SocketUdp(ServeAddress serveAddress, ByteBufAllocator allocator, int queueCapacity) {
        this.serveAddress = serveAddress;
        this.allocator = allocator;
        this.queueCapacity = queueCapacity;
    }

    /**
     * Binds {@code port} now and delivers its datagrams to {@code handler}, which owns each
     * payload; when the port is already ours, only swaps the handler in.
     *
     * @throws BindException whose message is one sentence naming the port and what to do
     * @throws IllegalArgumentException when {@code port} is not 1 to 65535
     * @throws SocketException when the stack is disconnected
     */
    @Override
    public void listen(int port, DatagramHandler handler) throws IOException {
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("A UDP port to listen on is 1 to 65535, not " + port + ".");
        if (handler == null) throw new IllegalArgumentException("listen needs a handler for UDP port " + port + ".");
        synchronized (lock) {
            if (disconnected) throw new SocketException("The network stack is disconnected, so UDP port " + port + " cannot listen.");
            UdpListener existing = listeners.get(port);
            if (existing != null) {
                existing.replaceHandler(handler);
                return;
            }
            DatagramChannel channel = bind(port);
            listeners.put(port, new UdpListener(port, channel, serveAddress, handler, allocator, queueCapacity, received, dropped));
            LOG.log(Level.DEBUG, () -> "Listening on UDP port " + port + " on " + serveAddress);
        }
    }

    /** Stops delivering and frees {@code port} before returning; queued datagrams are released. */
    @Override
    public void unlisten(int port) {
        synchronized (lock) {
            UdpListener listener = listeners.remove(port);
            if (listener != null) listener.close();
        }
    }

    /**
     * Sends from {@code sourcePort}: through the listening channel when the port listens, else
     * from a channel bound for this one datagram ({@code 0}: an ephemeral port). Takes ownership of
     * {@code payload} and releases it, also when it throws.
     *
     * @throws IllegalArgumentException when the payload is longer than {@link #MAX_PAYLOAD}, a port
     *     is out of range, or the stack serves on one IPv4 address and {@code destination} is IPv6
     * @throws BindException when {@code sourcePort} is taken by another program
     */
    @Override
    public void write(int sourcePort, IpAddress destination, int destinationPort, ByteBuf payload) throws IOException {
        try {
            if (sourcePort < 0 || sourcePort > 65_535) {
                throw new IllegalArgumentException("A UDP source port is 0 to 65535, not " + sourcePort + ".");
            }
            InetSocketAddress target = target(destination, destinationPort, payload);
            UdpListener listener = listeners.get(sourcePort);
            if (listener != null) {
                listener.send(payload, target);
                return;
            }
            try (DatagramChannel channel = bind(sourcePort)) {
                channel.send(payload.nioBuffer(), target);
            }
        } finally {
            payload.release();
        }
    }

    /**
     * Sends from the stack's ephemeral port (one for all such writes, chosen by the host). Takes
     * ownership of {@code payload} and releases it, also when it throws.
     *
     * @throws IllegalArgumentException when the payload is longer than {@link #MAX_PAYLOAD}, the
     *     port is out of range, or the stack serves on one IPv4 address and {@code destination} is IPv6
     */
    @Override
    public void write(IpAddress destination, int destinationPort, ByteBuf payload) throws IOException {
        try {
            InetSocketAddress target = target(destination, destinationPort, payload);
            ephemeralChannel().send(payload.nioBuffer(), target);
        } finally {
            payload.release();
        }
    }

    private InetSocketAddress target(IpAddress destination, int destinationPort, ByteBuf payload) throws SocketException {
        if (payload.readableBytes() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("A UDP payload is at most " + MAX_PAYLOAD + " bytes, not "
                    + payload.readableBytes() + ": send less per datagram.");
        }
        if (destinationPort < 1 || destinationPort > 65_535) {
            throw new IllegalArgumentException("A UDP destination port is 1 to 65535, not " + destinationPort + ".");
        }
        serveAddress.outgoingBindAddress(destination); // refuses IPv6 on an IPv4-only stack
        if (disconnected) throw new SocketException("The network stack is disconnected, so it cannot send to " + destination + ":" + destinationPort + ".");
        return new InetSocketAddress(destination.toInetAddress(), destinationPort);
    }

    private DatagramChannel ephemeralChannel() throws IOException {
        synchronized (lock) {
            if (disconnected) throw new SocketException("The network stack is disconnected, so it cannot send.");
            if (ephemeral == null) ephemeral = bind(0);
            return ephemeral;
        }
    }

    /** A channel bound to {@code port} on the stack's address (0: a port the host picks). */
    private DatagramChannel bind(int port) throws IOException {
        DatagramChannel channel = serveAddress.openDatagramChannel();
        try {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true); // as a direct stack, may send to broadcast addresses
            channel.bind(serveAddress.bindAddress(port));
            return channel;
        } catch (BindException e) {
            channel.close();
            throw BindErrors.bindFailed("UDP", port, serveAddress, e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Closes every listener (releasing what they queued) and the ephemeral channel. Never throws. */
    @Override
    public void disconnect() {
        List<UdpListener> closing;
        DatagramChannel ephemeralToClose;
        synchronized (lock) {
            disconnected = true;
            closing = List.copyOf(listeners.values());
            listeners.clear();
            ephemeralToClose = ephemeral;
            ephemeral = null;
        }
        closing.forEach(UdpListener::close);
        if (ephemeralToClose != null) {
            try {
                ephemeralToClose.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Closing the ephemeral UDP channel failed", e);
            }
        }
    }

    /** Datagrams read from the host on listening ports since the stack was made. */
    long received() {
        return received.sum();
    }

    /** Datagrams dropped because their port's queue was full. */
    long dropped() {
        return dropped.sum();
    }
}
