package org.mirage4j.benchmarks;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.tcpip.direct.DirectStack;
import org.mirage4j.tcpip.direct.Ipv4Source;

/**
 * A direct stack on a {@link MemoryLink} with one established TCP connection from a {@link TcpPeer}: the stack
 * listens, the peer connects, and the accepted flow is the benchmark's ({@link #flow()}) until {@link #close()}.
 *
 * <p>Threads: made and driven on the benchmark's thread; the stack's timer runs beside it, and the flow's handler
 * waits on its virtual thread for {@link #close()} (a handler that returns closes its flow).
 */
final class EstablishedConnection implements AutoCloseable {

    static final int PORT = 5001;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    final MemoryLink link = new MemoryLink(TcpPeer.STACK_MAC);
    final TcpPeer peer = new TcpPeer(40_000, PORT);
    final DirectStack stack;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Flow flow;

    /** Connects the stack and opens the connection; on failure, disconnects what it started. */
    EstablishedConnection() throws Exception {
        stack = new DirectStack(link, System::nanoTime, new SeededRandom(8), Ipv4Source.fixed(Ipv4Prefix.parse("10.0.0.2/24")));
        link.onSent(peer::observe);
        try {
            stack.connect();
            link.awaitListener();
            SynchronousQueue<Flow> accepted = new SynchronousQueue<>();
            stack.tcp().listen(PORT, flow -> {
                accepted.put(flow);
                closing.await();
            });
            link.deliver(peer.arpRequest());
            link.deliver(peer.syn());
            link.deliver(peer.handshakeAck());
            Flow opened = accepted.poll(10, TimeUnit.SECONDS);
            if (opened == null) throw new IllegalStateException("The stack accepted no connection: " + stack.tcpStats());
            flow = opened;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** The stack's end of the connection. */
    Flow flow() {
        return flow;
    }

    /**
     * Waits, spinning, until the stack's window has room for another full segment from the peer; a benchmark that
     * reads what it delivers never waits here, so this only turns a stuck window into an error.
     */
    void awaitWindow() {
        if (peer.windowOpen()) return;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!peer.windowOpen()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The stack's window stayed closed for 10 s: " + stack.tcpStats());
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        stack.disconnect();
        link.disconnect();
        peer.close();
    }
}
