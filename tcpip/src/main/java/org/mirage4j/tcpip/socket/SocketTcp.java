package org.mirage4j.tcpip.socket;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.FlowHandler;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.api.net.Tcp;

/**
 * {@link Tcp} over host sockets.
 *
 * <p>Threads: each listening port has an accept loop on a virtual thread of its own (see
 * {@link TcpListener}); each accepted connection runs its {@link FlowHandler} on a new virtual
 * thread, and is closed when the handler returns or throws. {@link #listen}, {@link #unlisten},
 * {@link #connect} and {@link #disconnect} may be called from any thread.
 */
final class SocketTcp implements Tcp {

    private static final Logger LOG = System.getLogger(SocketStack.LOGGER_NAME);
    // Connections the host may hold for us before accept(); it caps this at net.core.somaxconn.
    private static final int ACCEPT_BACKLOG = 1024;

    private final ServeAddress serveAddress;
    private final ByteBufAllocator allocator;
    private final Map<Integer, TcpListener> listeners = new ConcurrentHashMap<>();
    private final Set<SocketFlow> openFlows = ConcurrentHashMap.newKeySet();
    private final LongAdder accepted = new LongAdder();
    private final Object lock = new Object(); // guards binding and closing, so a port is never bound twice
    private volatile boolean disconnected;

    SocketTcp(ServeAddress serveAddress, ByteBufAllocator allocator) {
        this.serveAddress = serveAddress;
        this.allocator = allocator;
    }

    /**
     * Binds {@code port} now and accepts on it from now on; when the port is already ours, only
     * swaps the handler in for new connections.
     *
     * @throws BindException whose message is one sentence naming the port and what to do
     * @throws IllegalArgumentException when {@code port} is not 1 to 65535
     * @throws SocketException when the stack is disconnected
     */
    @Override
    public void listen(int port, FlowHandler handler) throws IOException {
        checkPort(port);
        if (handler == null) throw new IllegalArgumentException("listen needs a handler for TCP port " + port + ".");
        synchronized (lock) {
            if (disconnected) throw new SocketException("The network stack is disconnected, so TCP port " + port + " cannot listen.");
            TcpListener existing = listeners.get(port);
            if (existing != null) {
                existing.replaceHandler(handler);
                return;
            }
            ServerSocket server = new ServerSocket();
            try {
                server.setReuseAddress(true); // a restarted server binds even while its old connections sit in TIME_WAIT
                server.bind(serveAddress.bindAddress(port), ACCEPT_BACKLOG);
            } catch (BindException e) {
                server.close();
                throw BindErrors.bindFailed("TCP", port, serveAddress, e);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            listeners.put(port, new TcpListener(port, server, handler, this::serve));
            LOG.log(Level.DEBUG, () -> "Listening on TCP port " + port + " on " + serveAddress);
        }
    }

    /** Stops accepting on {@code port} and frees it before returning; established flows go on. */
    @Override
    public void unlisten(int port) {
        synchronized (lock) {
            TcpListener listener = listeners.remove(port);
            if (listener != null) listener.close();
        }
    }

    /**
     * Connects to {@code destination}:{@code port}; the caller owns the flow and closes it (the
     * stack's disconnect closes it too).
     *
     * @throws ConnectException naming the destination, when it refuses or does not answer
     * @throws IllegalArgumentException when the stack serves on one IPv4 address and
     *     {@code destination} is IPv6, or {@code port} is not 1 to 65535
     */
    @Override
    public Flow connect(IpAddress destination, int port) throws IOException, InterruptedException {
        checkPort(port);
        InetSocketAddress local = serveAddress.outgoingBindAddress(destination);
        if (disconnected) throw new SocketException("The network stack is disconnected, so it cannot connect to " + destination + ":" + port + ".");
        Socket socket = new Socket();
        try {
            if (local != null) socket.bind(local);
            socket.connect(new InetSocketAddress(destination.toInetAddress(), port));
        } catch (IOException e) {
            socket.close();
            // A virtual thread interrupted in connect() gets a SocketException with its interrupt status set.
            if (Thread.interrupted()) throw new InterruptedException("Interrupted while connecting to " + destination + ":" + port);
            if (e instanceof ConnectException) {
                ConnectException failed = new ConnectException("TCP connection to " + destination + ":" + port
                        + " failed (" + e.getMessage() + "): check that a server listens there.");
                failed.initCause(e);
                throw failed;
            }
            throw e;
        }
        SocketFlow flow = register(socket);
        if (flow.isClosed()) throw new SocketException("The network stack was disconnected while connecting to " + destination + ":" + port + ".");
        return flow;
    }

    /** Runs on the accept loop's thread: starts the handler of one accepted connection on a virtual thread. */
    private void serve(int port, Socket socket, FlowHandler handler) {
        accepted.increment();
        Thread.ofVirtual().name("tcp-flow-" + port + "-" + socket.getPort()).start(() -> {
            SocketFlow flow;
            try {
                flow = register(socket);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "A TCP connection to port " + port + " closed before it was served", e);
                return;
            }
            if (flow.isClosed()) return; // the stack was disconnected meanwhile
            try {
                handler.handle(flow);
            } catch (Exception e) {
                // Only this connection ends; a failure while the stack shuts down is expected.
                Level level = disconnected ? Level.DEBUG : Level.WARNING;
                LOG.log(level, () -> "The handler of TCP port " + port + " failed on the " + flow + "; closing it", e);
            } finally {
                flow.close();
            }
        });
    }

    /** Wraps a connected socket in a flow that the stack closes at disconnect. */
    private SocketFlow register(Socket socket) throws IOException {
        SocketFlow flow = new SocketFlow(socket, allocator, openFlows::remove);
        openFlows.add(flow);
        // disconnect() sets the flag before it closes what is in openFlows: either it saw this flow, or we see the flag.
        if (disconnected) flow.close();
        return flow;
    }

    /** Closes every listener and every open flow; blocked reads return {@code null}. Never throws. */
    @Override
    public void disconnect() {
        List<TcpListener> closing;
        synchronized (lock) {
            disconnected = true;
            closing = List.copyOf(listeners.values());
            listeners.clear();
        }
        closing.forEach(TcpListener::close);
        // A flow registered after this snapshot sees disconnected and closes itself (see register).
        List.copyOf(openFlows).forEach(SocketFlow::close);
    }

    /** Connections accepted since the stack was made. */
    long accepted() {
        return accepted.sum();
    }

    /** Flows open now, accepted and connected. */
    int activeFlows() {
        return openFlows.size();
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("A TCP port is 1 to 65535, not " + port + ".");
        }
    }
}
