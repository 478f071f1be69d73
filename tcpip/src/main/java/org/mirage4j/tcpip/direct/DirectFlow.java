package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.IpAddress;
import org.mirage4j.tcpip.tcp.Connection;
import org.mirage4j.tcpip.tcp.ConnectionStats;
import org.mirage4j.tcpip.tcp.FourTuple;

/**
 * One TCP connection of the direct stack, as the application sees it: blocking reads and writes over the engine's
 * non-blocking {@link Connection}. Cast a {@link Flow} of the direct stack to this class for {@link #stats()} and
 * {@link #setNoDelay}.
 *
 * <p><b>Threads.</b> Used by one virtual thread reading and one writing (any thread may {@link #close}). Each call
 * takes the stack's TCP lock (see {@link DirectTcp}); a thread that must wait (nothing to read, the send buffer
 * full) waits on this flow's {@link Condition} of that lock, which the engine's events signal, and so does
 * {@link #close}.
 */
public final class DirectFlow implements Flow {

    /** The most bytes one {@link #read()} returns: a buffer of at most this size, whatever arrived. */
    static final int MAX_READ = 64 * 1024;

    private final DirectTcp tcp;
    private final Connection connection;
    private final FourTuple tuple;
    final Condition changed; // of tcp.lock: signalled when the connection changed or the flow closed
    private volatile long readTimeoutNanos; // 0: wait for ever
    private boolean closed; // guarded by tcp.lock: the application closed the flow
    boolean wakeDeferred; // guarded by tcp.lock: waits in DirectTcp's list of flows to wake at the burst's end

    DirectFlow(DirectTcp tcp, Connection connection, Condition changed) {
        this.tcp = tcp;
        this.connection = connection;
        this.tuple = connection.tuple();
        this.changed = changed;
    }

    @Override
    public IpAddress remoteAddress() {
        return tuple.remoteAddress();
    }

    @Override
    public int remotePort() {
        return tuple.remotePort();
    }

    @Override
    public IpAddress localAddress() {
        return tuple.localAddress();
    }

    @Override
    public int localPort() {
        return tuple.localPort();
    }

    /**
     * {@inheritDoc} The buffer is pooled, at most {@value #MAX_READ} bytes; the caller releases it.
     *
     * @throws SocketException also when this flow was closed, or the stack disconnected
     * @throws InterruptedIOException when the thread is interrupted while it waits (its interrupt flag stays set)
     */
    @Override
    public ByteBuf read() throws IOException {
        long timeout = readTimeoutNanos;
        long left = timeout;
        tcp.lock.lock();
        try {
            while (true) {
                if (closed) throw closedException();
                int readable = connection.readable();
                if (readable > 0) {
                    ByteBuf data = tcp.readBuffer(Math.min(readable, MAX_READ));
                    connection.read(data, tcp.now()); // copies; it may send a window update
                    tcp.afterCall();
                    return data; // the caller's to release
                }
                if (connection.error() != null) throw failedException();
                if (connection.isEndOfStream()) return null;
                if (timeout == 0) {
                    changed.await();
                } else {
                    if (left <= 0) {
                        throw new SocketTimeoutException("Nothing arrived on " + this + " within "
                                + Duration.ofNanos(timeout) + ".");
                    }
                    left = changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading from " + this + ".");
        } finally {
            tcp.lock.unlock();
        }
    }

    /**
     * {@inheritDoc} Copies {@code data} into the connection's send buffer piece by piece as acknowledgments free
     * room, blocking only the calling thread meanwhile; releases {@code data} when done or failed.
     *
     * @throws InterruptedIOException when the thread is interrupted while it waits (its interrupt flag stays set;
     *     part of the data may have been queued)
     */
    @Override
    public void write(ByteBuf data) throws IOException {
        tcp.lock.lock();
        try {
            while (data.isReadable()) {
                if (closed) throw closedException();
                int taken = connection.write(data, tcp.now()); // moves data's reader index past what it copied
                tcp.afterCall();
                if (taken < 0) {
                    throw connection.error() != null ? failedException()
                            : new SocketException("The sending side of " + this + " is shut down: write before shutdownOutput().");
                }
                if (taken == 0) changed.await(); // the send buffer is full: wait for acknowledgments
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while writing to " + this + ".");
        } finally {
            tcp.lock.unlock();
            data.release(); // we took ownership, whatever happened
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        tcp.lock.lock();
        try {
            if (closed) throw closedException();
            if (connection.error() != null) throw failedException();
            connection.shutdownOutput(tcp.now()); // the FIN follows what is queued already
            tcp.afterCall();
        } finally {
            tcp.lock.unlock();
        }
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("A read timeout is zero or positive, not " + timeout + ".");
        readTimeoutNanos = timeout.isZero() ? 0 : Math.max(1, saturatedNanos(timeout));
    }

    /**
     * {@inheritDoc} Queued data still goes out, then a FIN; if received data was left unread the peer gets a reset
     * instead (as Linux does). Wakes this flow's blocked reader and writer, which throw.
     */
    @Override
    public void close() {
        tcp.lock.lock();
        try {
            if (closed) return;
            closed = true;
            connection.close(tcp.now()); // the engine finishes the connection and gives its buffers back
            tcp.forget(connection);
            changed.signalAll();
            tcp.afterCall();
        } finally {
            tcp.lock.unlock();
        }
    }

    /** Ends the connection with a reset at once, dropping what is queued and unread; the flow is closed then. */
    public void abort() {
        tcp.lock.lock();
        try {
            if (closed) return;
            closed = true;
            connection.abort(tcp.now());
            tcp.forget(connection);
            changed.signalAll();
            tcp.afterCall();
        } finally {
            tcp.lock.unlock();
        }
    }

    /** Turns Nagle's algorithm off ({@code true}: small writes go out at once) or back on. */
    public void setNoDelay(boolean noDelay) {
        tcp.lock.lock();
        try {
            connection.setNoDelay(noDelay, tcp.now());
            tcp.afterCall();
        } finally {
            tcp.lock.unlock();
        }
    }

    /** A snapshot of the connection: state, bytes, retransmits, smoothed RTT, congestion window. */
    public ConnectionStats stats() {
        tcp.lock.lock();
        try {
            return connection.stats();
        } finally {
            tcp.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "DirectFlow[" + tuple.localAddress() + ":" + tuple.localPort() + " <-> " + tuple.remoteAddress() + ":"
                + tuple.remotePort() + "]";
    }

    private SocketException closedException() {
        return new SocketException(this + " is closed.");
    }

    private SocketException failedException() {
        return new SocketException("Connection " + this + " failed: " + Objects.requireNonNull(connection.error()).describe() + ".");
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
