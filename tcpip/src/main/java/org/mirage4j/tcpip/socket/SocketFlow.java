package org.mirage4j.tcpip.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.IpAddress;

/**
 * A {@link Flow} over a connected host {@link Socket}.
 *
 * <p>Threads: one virtual thread reads and one writes at a time (the {@link Flow} contract);
 * {@link #close()} and {@link #setReadTimeout} may come from any thread. Blocking calls block
 * only the calling virtual thread.
 *
 * <p>Once the flow is closed, by {@link #close()} from any thread or by the stack's disconnect,
 * {@link #read()} returns {@code null} (a read blocked at that moment included) and
 * {@link #write} throws {@link SocketException}.
 */
final class SocketFlow implements Flow {

    // Reads go straight into a pooled heap buffer's array. Its size adapts to what arrives, so a
    // chatty flow does not hold 64 KiB per small message and a bulk flow does not read 1 KiB at a time.
    private static final int MIN_READ = 1024;
    private static final int FIRST_READ = 4096;
    private static final int MAX_READ = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBufAllocator allocator;
    private final Consumer<SocketFlow> onClose;
    private final IpAddress remoteAddress;
    private final int remotePort;
    private final IpAddress localAddress;
    private final int localPort;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Duration readTimeout = Duration.ZERO;
    private int readSize = FIRST_READ; // touched by the reading thread only

    /**
     * Wraps a connected socket; the flow owns it from now on, also when this throws.
     *
     * @param onClose called once with this flow, on the thread that closes it
     */
    SocketFlow(Socket socket, ByteBufAllocator allocator, Consumer<SocketFlow> onClose) throws IOException {
        this.socket = socket;
        this.allocator = allocator;
        this.onClose = onClose;
        try {
            socket.setTcpNoDelay(true); // writes are whole messages already; Nagle would only delay them
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.remoteAddress = IpAddress.of(socket.getInetAddress());
        this.remotePort = socket.getPort();
        this.localAddress = IpAddress.of(socket.getLocalAddress());
        this.localPort = socket.getLocalPort();
    }

    @Override
    public IpAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public IpAddress localAddress() {
        return localAddress;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    /**
     * The bytes that arrived, in a pooled buffer that the caller owns and must release; {@code null}
     * at the peer's end of stream or once the flow is closed.
     */
    @Override
    public ByteBuf read() throws IOException {
        if (closed.get()) return null;
        ByteBuf buf = allocator.heapBuffer(readSize);
        boolean handedOver = false;
        try {
            int n = in.read(buf.array(), buf.arrayOffset() + buf.writerIndex(), buf.writableBytes());
            if (n < 0) return null;
            adaptReadSize(n, buf.writableBytes());
            buf.writerIndex(buf.writerIndex() + n);
            handedOver = true;
            return buf;
        } catch (SocketTimeoutException e) {
            SocketTimeoutException timeout = new SocketTimeoutException("Nothing arrived from " + remoteAddress + ":"
                    + remotePort + " within " + readTimeout.toMillis() + " ms.");
            timeout.initCause(e);
            throw timeout;
        } catch (SocketException e) {
            if (closed.get()) return null; // closed under a blocked read: that is the way to unblock it
            throw e;
        } finally {
            if (!handedOver) buf.release();
        }
    }

    private void adaptReadSize(int got, int room) {
        if (got == room) {
            readSize = Math.min(readSize * 2, MAX_READ);
        } else if (got < readSize / 4) {
            readSize = Math.max(readSize / 2, MIN_READ);
        }
    }

    /** Sends every readable byte of {@code data}; takes ownership of {@code data} and releases it, also when it throws. */
    @Override
    public void write(ByteBuf data) throws IOException {
        try {
            if (closed.get()) throw new SocketException("The flow to " + remoteAddress + ":" + remotePort + " is closed.");
            data.getBytes(data.readerIndex(), out, data.readableBytes());
        } finally {
            data.release();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Sets how long {@link #read()} waits; a positive duration below one millisecond counts as one.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    @Override
    public void setReadTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("A read timeout cannot be negative (" + timeout + "): use Duration.ZERO to wait for ever.");
        }
        long millis = timeout.isZero() ? 0 : Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
        readTimeout = timeout;
        try {
            socket.setSoTimeout((int) millis);
        } catch (SocketException e) {
            // Only a closed socket refuses; its reads return null whatever the timeout.
        }
    }

    /** Whether {@link #close()} ran. */
    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            socket.close(); // also wakes a read or write blocked on another thread
        } catch (IOException e) {
            System.getLogger(SocketStack.LOGGER_NAME).log(System.Logger.Level.DEBUG, "Closing a TCP socket failed", e);
        } finally {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "flow " + localAddress + ":" + localPort + " <-> " + remoteAddress + ":" + remotePort;
    }
}
