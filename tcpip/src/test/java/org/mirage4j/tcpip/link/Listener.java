package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.mirage4j.api.net.Network;

/**
 * Runs a network's {@code listen} on a thread of its own, keeping a copy of each frame's bytes (with the time and
 * thread it came on) and releasing the frame, as a well-behaved stack does.
 */
final class Listener {

    /** One delivered frame. */
    record Arrival(byte[] bytes, long nanoTime, Thread thread) {}

    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    /** What handling a frame threw (for example on a frame released twice), or what listen threw. */
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final Thread thread;

    Listener(Network network) {
        thread = Thread.ofPlatform().name("test-listener").start(() -> {
            try {
                network.listen(this::onFrame);
            } catch (Exception e) {
                failures.add(e);
            }
        });
    }

    private void onFrame(ByteBuf frame) {
        try {
            byte[] bytes = ByteBufUtil.getBytes(frame);
            if (!frame.release()) failures.add(new AssertionError("a delivered frame was also held by someone else"));
            arrivals.add(new Arrival(bytes, System.nanoTime(), Thread.currentThread()));
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** The bytes of the frames delivered so far, in order. */
    List<byte[]> frames() {
        return arrivals.stream().map(Arrival::bytes).toList();
    }

    /** Waits until {@code condition} holds; fails after {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            Thread.sleep(1);
        }
    }

    /** Waits for listen to return (after the network is disconnected). */
    void join() throws InterruptedException {
        thread.join(Duration.ofSeconds(10));
        if (thread.isAlive()) throw new AssertionError("listen did not return within 10 s of disconnect");
    }
}
