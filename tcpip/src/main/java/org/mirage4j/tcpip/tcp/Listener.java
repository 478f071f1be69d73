package org.mirage4j.tcpip.tcp;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A port in the LISTEN state: it opens a connection for each SYN, and queues the established ones until the
 * application accepts them.
 *
 * <p>The backlog bounds the connections being opened (SYN-RECEIVED) plus those waiting to be accepted; a SYN beyond
 * it is answered with a SYN cookie (RFC 4987 section 3.6) when the engine's configuration allows, else dropped.
 * Not thread-safe: used under the same lock as its {@link TcpEngine}.
 */
public final class Listener {

    private final int port;
    private final int backlog;
    private final Deque<Connection> acceptQueue = new ArrayDeque<>();
    private int halfOpen;
    private boolean closed;

    Listener(int port, int backlog) {
        this.port = port;
        this.backlog = backlog;
    }

    /** The port listened on. */
    public int port() {
        return port;
    }

    /** The most connections opening or waiting to be accepted. */
    public int backlog() {
        return backlog;
    }

    /**
     * The oldest established connection not yet accepted, now the application's; {@code null} if none waits. The
     * application must {@link Connection#close} it eventually.
     */
    public Connection accept() {
        return acceptQueue.pollFirst();
    }

    /** How many connections wait to be accepted. */
    public int acceptable() {
        return acceptQueue.size();
    }

    /** How many connections are opening (SYN-RECEIVED). */
    public int opening() {
        return halfOpen;
    }

    /** Whether the listener was closed ({@link TcpEngine#unlisten}). */
    public boolean isClosed() {
        return closed;
    }

    boolean full() {
        return halfOpen + acceptQueue.size() >= backlog;
    }

    void opened() {
        halfOpen++;
    }

    /** A connection it opened was established: it leaves the half-open count for the accept queue. */
    void established(Connection connection, boolean wasHalfOpen) {
        if (wasHalfOpen) halfOpen--;
        acceptQueue.addLast(connection);
    }

    /** A connection it opened died before it was established. */
    void abandoned() {
        halfOpen--;
    }

    /** Closes the listener; returns the connections nobody accepted, for the engine to abort. */
    Deque<Connection> close() {
        closed = true;
        Deque<Connection> left = new ArrayDeque<>(acceptQueue);
        acceptQueue.clear();
        return left;
    }
}
