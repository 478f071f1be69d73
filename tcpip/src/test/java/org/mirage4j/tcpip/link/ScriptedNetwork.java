package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * The wrapped device of the decorator tests: frames given to {@link #receive} come out of {@link #listen}, and the
 * bytes of every written frame are kept in {@link #sent}.
 *
 * <p>Unlike the channel link, it hides nothing a decorator does wrong: a handler or filler that throws (say, on a
 * buffer released twice) is recorded in {@link #failures} besides being logged or rethrown, and every buffer comes
 * from the leak-tracked allocator. Threads: {@code listen} on the caller's thread; the rest from any thread.
 */
final class ScriptedNetwork implements Network {

    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    static final int MTU = 1500;
    private static final ByteBuf END = Unpooled.EMPTY_BUFFER;

    /** The bytes of every frame written, in order. */
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    /** When each of {@link #sent} was written, by {@link System#nanoTime()}. */
    final List<Long> sentNanos = new CopyOnWriteArrayList<>();
    /** What a handler or filler threw. */
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    private final BlockingQueue<ByteBuf> incoming = new LinkedBlockingQueue<>();
    private volatile boolean disconnected;

    /** Queues a frame with {@code bytes} for the listener. */
    void receive(byte[] bytes) {
        incoming.add(TrackedHeapAllocator.INSTANCE.heapBuffer(bytes.length).writeBytes(bytes));
    }

    /** How many received frames the listener has not taken yet. */
    int pending() {
        return incoming.size();
    }

    @Override
    public void connect() {
        connects.incrementAndGet();
        disconnected = false;
    }

    /** Makes {@link #listen} return; releases the frames it has not taken. */
    @Override
    public void disconnect() {
        disconnects.incrementAndGet();
        disconnected = true;
        for (ByteBuf b; (b = incoming.poll()) != null; ) {
            if (b != END) b.release();
        }
        incoming.add(END);
    }

    @Override
    public MacAddress mac() {
        return MAC;
    }

    @Override
    public int mtu() {
        return MTU;
    }

    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        while (!disconnected) {
            ByteBuf frame;
            try {
                frame = incoming.take();
            } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
            }
            if (frame == END) return;
            try {
                handler.accept(frame);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }

    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        if (size > MTU + 14) throw new IllegalArgumentException("too long: " + size);
        if (disconnected) throw new IOException("disconnected");
        ByteBuf buffer = TrackedHeapAllocator.INSTANCE.heapBuffer(size, size);
        try {
            filler.accept(buffer);
            sentNanos.add(System.nanoTime());
            sent.add(ByteBufUtil.getBytes(buffer));
        } catch (RuntimeException e) {
            failures.add(e);
            throw e;
        } finally {
            buffer.release();
        }
    }

    @Override
    public NetworkStats stats() {
        return new NetworkStats(0, 0, 0, sent.size(), 0, 0);
    }
}
