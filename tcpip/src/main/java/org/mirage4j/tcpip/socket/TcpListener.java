package org.mirage4j.tcpip.socket;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.mirage4j.api.net.FlowHandler;

/**
 * One listening TCP port: a bound {@link ServerSocket} and the virtual thread that accepts on it.
 *
 * <p>Threads: the accept loop runs on its own virtual thread and hands every accepted socket to
 * the {@link Acceptor} on that thread; {@link #replaceHandler} and {@link #close} come from any
 * thread.
 */
final class TcpListener {

    /** Takes over each accepted socket, with the handler that was current when it was accepted. */
    @FunctionalInterface
    interface Acceptor {
        void accepted(int port, Socket socket, FlowHandler handler);
    }

    private static final Logger LOG = System.getLogger(SocketStack.LOGGER_NAME);
    // After a failed accept (typically too many open files) wait a little instead of spinning.
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final int port;
    private final ServerSocket server;
    private final Acceptor acceptor;
    private final Thread acceptThread;
    private volatile FlowHandler handler;

    /** Starts accepting on {@code server}, already bound to {@code port}; the listener owns the socket. */
    TcpListener(int port, ServerSocket server, FlowHandler handler, Acceptor acceptor) {
        this.port = port;
        this.server = server;
        this.handler = handler;
        this.acceptor = acceptor;
        this.acceptThread = Thread.ofVirtual().name("tcp-accept-" + port).start(this::acceptLoop);
    }

    /** New connections go to {@code next}; those already accepted keep their handler. */
    void replaceHandler(FlowHandler next) {
        handler = next;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) return;
                LOG.log(Level.WARNING, () -> "Accepting a TCP connection on port " + port + " failed; retrying", e);
                try {
                    Thread.sleep(ACCEPT_RETRY);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            acceptor.accepted(port, socket, handler);
        }
    }

    /**
     * Stops accepting and frees the port: when this returns, the port can be bound again.
     * Established connections are not touched.
     */
    void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "Closing the listening socket of TCP port " + port + " failed", e);
        }
        // The host frees the port once the accept loop has left accept(); wait for that.
        try {
            if (!acceptThread.join(CLOSE_WAIT)) {
                LOG.log(Level.WARNING, () -> "The accept loop of TCP port " + port + " did not stop within " + CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
