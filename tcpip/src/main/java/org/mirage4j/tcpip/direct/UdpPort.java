package org.mirage4j.tcpip.direct;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.DatagramHandler;

/**
 * One listening UDP port: a bounded queue that the receive loop fills and a virtual thread that empties it into
 * the handler, one datagram at a time, in arrival order.
 *
 * <pre>
 *   receive loop --offer--> [ queue, at most N ] --port's virtual thread--> handler
 *                  | full or closed: refused; the caller releases and counts
 * </pre>
 *
 * <p>Threads: {@link #offer} from the receive loop, {@link #replaceHandler} and {@link #close} from any thread.
 */
final class UdpPort {

    private static final Logger LOG = System.getLogger(DirectUdp.LOGGER_NAME);
    /** Put last into the queue by close() to end the delivery thread; never given to a handler. */
    private static final Datagram END = new Datagram(null, 0, null, 0, null);

    private final int port;
    private final int capacity;
    private final BlockingQueue<Datagram> queue;
    private volatile DatagramHandler handler;
    private boolean closed; // guarded by this

    UdpPort(int port, DatagramHandler handler, int capacity) {
        this.port = port;
        this.handler = handler;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for END
        Thread.ofVirtual().name("udp-" + port).start(this::deliver);
    }

    void replaceHandler(DatagramHandler next) {
        handler = next;
    }

    /**
     * Queues {@code datagram} for the handler, which will own its payload.
     *
     * @return false if the queue is full or the port closed: the caller keeps the payload, and must release it
     */
    synchronized boolean offer(Datagram datagram) {
        return !closed && queue.size() < capacity && queue.offer(datagram);
    }

    /** Stops delivering: datagrams still queued are released, not delivered. A handler call in progress finishes. */
    synchronized void close() {
        if (closed) return;
        closed = true;
        queue.offer(END); // always fits: offer() leaves the last slot free
    }

    private void deliver() {
        while (true) {
            Datagram datagram;
            try {
                datagram = queue.take();
            } catch (InterruptedException e) {
                LOG.log(Level.WARNING, "The delivery thread of UDP port {0} was interrupted; it stops", port);
                return;
            }
            if (datagram == END) return;
            boolean stop;
            synchronized (this) {
                stop = closed;
            }
            if (stop) {
                datagram.payload().release(); // unlistened: drain without delivering
                continue;
            }
            try {
                handler.handle(datagram); // the handler owns the payload from here on, also when it throws
            } catch (Exception e) {
                LOG.log(Level.WARNING, () -> "The handler of UDP port " + port + " failed on a datagram from "
                        + datagram.source() + ":" + datagram.sourcePort() + "; going on with the next", e);
            }
        }
    }
}
