package org.mirage4j.net.unix;

import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.mirage4j.api.net.Network;

/**
 * Runs a network's receive loop on a platform thread, as the runtime does, and keeps a copy of
 * every frame (each received buffer is released at once).
 */
final class Receiver {

    private final Thread thread;
    private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Receiver(Network network) {
        thread = Thread.ofPlatform().name("test receive loop").daemon(true).unstarted(() -> {
            try {
                network.listen(frame -> {
                    try {
                        byte[] copy = ByteBufUtil.getBytes(frame);
                        count.incrementAndGet();
                        bytes.addAndGet(copy.length);
                        frames.add(copy);
                    } finally {
                        frame.release();
                    }
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    static Receiver start(Network network) {
        Receiver receiver = new Receiver(network);
        receiver.thread.start();
        return receiver;
    }

    /**
     * The next frame that {@code wanted} accepts, skipping others (IPv6 chatter and the like).
     *
     * @throws AssertionError if none arrives within {@code timeout}; lists the frames skipped
     */
    byte[] next(Predicate<byte[]> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            byte[] frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("No expected frame within " + timeout.toMillis() + " ms; skipped: " + skipped
                        + (failure.get() == null ? "" : "; listen failed: " + failure.get()));
            }
            if (wanted.test(frame)) return frame;
            skipped.add(Frames.hex(frame));
        }
    }

    /** Frames handed to the handler so far. */
    long count() {
        return count.get();
    }

    /** Bytes of those frames. */
    long bytes() {
        return bytes.get();
    }

    /**
     * Waits for {@code listen} to return.
     *
     * @return what it threw, or {@code null} if it returned normally
     * @throws AssertionError if it is still running after {@code timeout}
     */
    Throwable awaitEnd(Duration timeout) throws InterruptedException {
        if (!thread.join(timeout)) throw new AssertionError("listen() did not return within " + timeout.toMillis() + " ms.");
        return failure.get();
    }

    boolean isRunning() {
        return thread.isAlive();
    }
}
