package org.mirage4j.api.net;

import java.io.IOException;
import org.mirage4j.api.Device;

/** TCP (RFC 9293). */
public interface Tcp extends Device {

    /**
     * Accepts connections to {@code port} from now on, each served by {@code handler} on a
     * virtual thread of its own. Returns at once; the stack keeps accepting until
     * {@link #unlisten} or disconnect. Replaces an earlier handler for the same port.
     *
     * @throws java.net.BindException when the port is taken by someone else (host sockets)
     */
    void listen(int port, FlowHandler handler) throws IOException;

    /** Stops accepting connections to {@code port}; established ones go on. */
    void unlisten(int port);

    /**
     * Opens a connection, blocking the calling virtual thread until it is established.
     *
     * @throws java.net.ConnectException when the peer refuses or does not answer
     */
    Flow connect(IpAddress destination, int port) throws IOException, InterruptedException;
}
