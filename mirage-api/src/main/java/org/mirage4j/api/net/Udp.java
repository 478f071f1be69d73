package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import org.mirage4j.api.Device;

/** UDP (RFC 768). */
public interface Udp extends Device {

    /** The largest payload {@link #write} accepts: 65 507 bytes over IPv4. */
    int MAX_PAYLOAD = 65_507;

    /**
     * Delivers datagrams sent to {@code port} to {@code handler}, one at a time and in arrival
     * order, on a virtual thread of the stack that belongs to this port, so the handler may block
     * (for example to send a reply). The handler owns each datagram's payload. When datagrams
     * arrive faster than the handler takes them, a bounded queue fills and further ones are
     * counted and dropped. An exception from the handler is logged and ends nothing. Replaces an
     * earlier handler for the same port.
     *
     * @throws java.net.BindException when the port is taken by someone else (host sockets)
     */
    void listen(int port, DatagramHandler handler) throws IOException;

    /** Stops delivering datagrams for {@code port}. */
    void unlisten(int port);

    /**
     * Sends {@code payload} from {@code sourcePort} to {@code destination}:{@code destinationPort}.
     * Takes ownership of {@code payload}, also when it throws.
     *
     * @throws IllegalArgumentException when the payload is longer than {@link #MAX_PAYLOAD}
     */
    void write(int sourcePort, IpAddress destination, int destinationPort, ByteBuf payload)
            throws IOException, InterruptedException;

    /** Sends {@code payload} from an ephemeral port. Takes ownership of {@code payload}, also when it throws. */
    void write(IpAddress destination, int destinationPort, ByteBuf payload) throws IOException, InterruptedException;
}
