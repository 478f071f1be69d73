package org.mirage4j.tcpip.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.DatagramHandler;
import org.mirage4j.api.net.IpAddress;

/**
 * One listening UDP port: a bound {@link DatagramChannel}, a receive loop, a bounded queue and a
 * delivery thread that calls the handler.
 *
 * <pre>
 *   host socket --receive loop--> [ queue, at most N ] --delivery thread--> handler
 *                      | queue full: count, release, drop
 * </pre>
 *
 * <p>Threads: the receive loop and the delivery loop each run on a virtual thread of their own,
 * so a slow handler never stops the receive loop, and the handler sees datagrams one at a time in
 * arrival order. {@link #send}, {@link #replaceHandler} and {@link #close} come from any thread.
 */
final class UdpListener {

    private static final Logger LOG = System.getLogger(SocketStack.LOGGER_NAME);
    // Larger than any UDP payload (65 527 bytes over IPv6 without jumbograms), so nothing is cut off.
    private static final int RECEIVE_BUFFER = 65_536;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    // After an unexpected receive error wait a little instead of spinning on it.
    private static final Duration RECEIVE_RETRY = Duration.ofMillis(100);
    /** Put last into the queue by close() to end the delivery loop; never given to a handler. */
    private static final Datagram END = new Datagram(null, 0, null, 0, null);

    private final int port;
    private final DatagramChannel channel;
    private final ServeAddress serveAddress;
    private final ByteBufAllocator allocator;
    private final int capacity;
    private final BlockingQueue<Datagram> queue;
    private final LongAdder received;
    private final LongAdder dropped;
    private final Thread receiveThread;
    private volatile DatagramHandler handler;
    private volatile boolean closed;

    /**
     * Starts receiving on {@code channel}, already bound to {@code port}; the listener owns the channel.
     *
     * @param capacity how many datagrams wait for the handler at most
     * @param received counts every datagram read from the host
     * @param dropped counts those dropped because the queue was full
     */
    UdpListener(int port, DatagramChannel channel, ServeAddress serveAddress, DatagramHandler handler,
            ByteBufAllocator allocator, int capacity, LongAdder received, LongAdder dropped) {
        this.port = port;
        this.channel = channel;
        this.serveAddress = serveAddress;
        this.handler = handler;
        this.allocator = allocator;
        this.capacity = capacity;
        // One slot more than the receive loop may fill, so close() can always add END without blocking.
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.received = received;
        this.dropped = dropped;
        Thread.ofVirtual().name("udp-deliver-" + port).start(this::deliveryLoop);
        this.receiveThread = Thread.ofVirtual().name("udp-receive-" + port).start(this::receiveLoop);
    }

    /** Datagrams from now on go to {@code next}. */
    void replaceHandler(DatagramHandler next) {
        handler = next;
    }

    /**
     * Sends {@code payload} from this port. The caller keeps ownership of {@code payload};
     * its reader index does not move.
     */
    void send(ByteBuf payload, SocketAddress destination) throws IOException {
        channel.send(payload.nioBuffer(), destination);
    }

    private void receiveLoop() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
        while (true) {
            InetSocketAddress sender;
            scratch.clear();
            try {
                sender = (InetSocketAddress) channel.receive(scratch);
            } catch (ClosedChannelException e) {
                return; // close(), or the stack's disconnect
            } catch (IOException e) {
                if (!channel.isOpen()) return;
                LOG.log(Level.WARNING, () -> "Receiving on UDP port " + port + " failed; retrying", e);
                try {
                    Thread.sleep(RECEIVE_RETRY);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            received.increment();
            scratch.flip();
            // Copy into a buffer of the datagram's size: queued datagrams then hold only their bytes.
            ByteBuf payload = allocator.heapBuffer(scratch.remaining(), scratch.remaining());
            payload.writeBytes(scratch);
            Datagram datagram = new Datagram(IpAddress.of(sender.getAddress()), sender.getPort(),
                    serveAddress.receivedOn(sender.getAddress()), port, payload);
            // This loop is the only producer, so the check cannot be overtaken; the consumer only makes room.
            if (queue.size() >= capacity || !queue.offer(datagram)) {
                payload.release();
                dropped.increment();
            }
        }
    }

    private void deliveryLoop() {
        while (true) {
            Datagram datagram;
            try {
                datagram = queue.take();
            } catch (InterruptedException e) {
                return; // nobody interrupts this thread; stop if someone does
            }
            if (datagram == END) return;
            if (closed) {
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

    /**
     * Stops receiving and frees the port before returning; datagrams still queued are released,
     * not delivered. A handler call in progress finishes on its own.
     */
    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "Closing the channel of UDP port " + port + " failed", e);
        }
        try {
            if (!receiveThread.join(CLOSE_WAIT)) {
                LOG.log(Level.WARNING, () -> "The receive loop of UDP port " + port + " did not stop within " + CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The receive loop has stopped (or is stuck before offering), and it never fills the last slot.
        if (!queue.offer(END)) {
            LOG.log(Level.WARNING, () -> "The delivery queue of UDP port " + port + " had no room to stop");
        }
    }
}
