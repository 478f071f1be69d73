package org.mirage4j.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;

/**
 * An in-memory {@link Network} that lets a benchmark feed frames to a stack on the benchmark's own thread, with no
 * queue and no thread hand-off in between, so that what is measured is the stack's work.
 *
 * <p>The stack's receive loop calls {@link #listen}, which only records the handler and parks that thread until
 * {@link #disconnect()}; the benchmark then calls {@link #deliver} itself, which is what the receive loop would do.
 * Frames the stack sends are written into one reused buffer (a device's transmit ring, in effect), shown to the
 * {@linkplain #onSent observer} and dropped: sending allocates nothing here.
 *
 * <p>Threads: {@link #deliver} from one thread at a time (the benchmark's); {@link #write} from any thread (the
 * stack sends from the receive path, its timer and the flows' threads), serialised by this link's monitor.
 */
final class MemoryLink implements Network {

    private static final int MTU = 1500;
    private static final int MAX_FRAME = MTU + 14;

    private final MacAddress mac;
    private final ByteBuf transmit = Unpooled.directBuffer(MAX_FRAME, MAX_FRAME);
    private final CountDownLatch listening = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<ByteBuf> handler;
    private volatile Consumer<ByteBuf> observer = frame -> {};
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    private boolean closed; // guarded by this: the transmit buffer is released

    MemoryLink(MacAddress mac) {
        this.mac = mac;
    }

    /**
     * Shows every frame the stack sends to {@code observer}, on the sending thread, under this link's monitor. The
     * observer borrows the frame for the call only: it must neither release nor keep it.
     */
    void onSent(Consumer<ByteBuf> observer) {
        this.observer = observer;
    }

    /** Waits until the stack's receive loop has called {@link #listen}. */
    void awaitListener() throws InterruptedException {
        if (!listening.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("The stack never started listening.");
    }

    /**
     * Hands {@code frame} to the stack on the calling thread, as the receive loop would. The stack owns the frame
     * from here (it releases it).
     */
    void deliver(ByteBuf frame) {
        rxPackets++;
        rxBytes += frame.readableBytes();
        handler.accept(frame);
    }

    @Override
    public void connect() {}

    /** Lets {@link #listen} return and releases the transmit buffer; sending fails from here on. */
    @Override
    public void disconnect() {
        stopped.countDown();
        synchronized (this) {
            if (!closed) transmit.release();
            closed = true;
        }
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return MTU;
    }

    /** Records {@code handler} and parks the calling thread (the stack's receive loop) until {@link #disconnect()}. */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        this.handler = handler;
        listening.countDown();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets {@code filler} write the frame into the reused transmit buffer, shows it to the observer, drops it. */
    @Override
    public synchronized void write(int size, Consumer<ByteBuf> filler) throws IOException {
        if (size > MAX_FRAME) throw new IllegalArgumentException("A frame here is at most " + MAX_FRAME + " bytes, not " + size + ".");
        if (closed) throw new IOException("The in-memory link is disconnected, so it cannot send.");
        transmit.clear();
        filler.accept(transmit);
        txPackets++;
        txBytes += transmit.readableBytes();
        observer.accept(transmit);
    }

    @Override
    public synchronized NetworkStats stats() {
        return new NetworkStats(rxPackets, rxBytes, 0, txPackets, txBytes, 0);
    }
}
