package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Duration;

/**
 * One TCP connection, used by one virtual thread at a time for reading and one for writing.
 *
 * <p>Reads and writes block only the calling virtual thread.
 */
public interface Flow extends AutoCloseable {

    IpAddress remoteAddress();

    int remotePort();

    IpAddress localAddress();

    int localPort();

    /**
     * The next bytes the peer sent, as many as have arrived (at least one), or {@code null} once
     * the peer has closed its side and everything before was read. The caller owns the buffer and
     * must release it.
     *
     * @throws java.net.SocketTimeoutException when nothing arrived within {@link #setReadTimeout}
     * @throws java.net.SocketException when the connection was reset
     */
    ByteBuf read() throws IOException;

    /**
     * Sends all readable bytes of {@code data}, blocking while the send buffer is full. Takes
     * ownership of {@code data}, also when it throws.
     *
     * @throws java.net.SocketException when the connection was reset or closed for writing
     */
    void write(ByteBuf data) throws IOException;

    /** Closes the sending side (sends FIN); reading goes on until the peer closes its side. */
    void shutdownOutput() throws IOException;

    /**
     * How long {@link #read()} waits for data before it throws; {@link Duration#ZERO} (the
     * default) waits for ever.
     */
    void setReadTimeout(Duration timeout);

    /** Closes both sides; a blocked {@link #read()} returns or throws. Idempotent; never throws. */
    @Override
    void close();
}
