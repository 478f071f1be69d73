package org.mirage4j.api.net;

import java.util.List;
import org.mirage4j.api.Device;

/**
 * A dual-stack TCP/IP stack: what most applications ask for. On unix it is either the host's
 * sockets or mirage4j's own stack on a tap device; on kvm, mirage4j's stack on virtio-net.
 */
public interface StackV4V6 extends Device {

    /** TCP on this stack. */
    Tcp tcp();

    /** UDP on this stack. */
    Udp udp();

    /** The addresses this stack serves on ({@code 0.0.0.0} when it serves on every host address). */
    List<IpAddress> addresses();

    /**
     * Blocks the calling thread until the stack is disconnected (when the unikernel is
     * interrupted), serving the listeners registered with {@link Tcp#listen} and
     * {@link Udp#listen} meanwhile: the last call of a server's {@code start()}.
     */
    void listen() throws InterruptedException;
}
