package org.mirage4j.net.unix;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.net.unix.linux.Tun;

/**
 * One connect-to-disconnect period of a {@link TapNetwork}: the attached tap, its counters, and
 * who is using its file descriptor.
 *
 * <p>The descriptor is closed only when no call uses it: the kernel hands a closed descriptor's
 * number to the next {@code open}, so a write racing a close could otherwise land in an unrelated
 * file. Each call brackets its use with {@link #enter()} and {@link #exit()}; {@link #close}
 * refuses new entries, wakes the receive loop, and the last one out closes the descriptor.
 *
 * <p>Thread-safe.
 */
final class Attachment {

    private final Tun tun;
    private final Counters counters;
    /** One for the attachment itself until {@link #close}, plus one per call in progress. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The offloads {@link TapNetwork#enableOffloads} turned on; none until then. */
    private volatile Offloads offloads = Offloads.NONE;

    Attachment(Tun tun, Counters counters) {
        this.tun = tun;
        this.counters = counters;
    }

    Tun tun() {
        return tun;
    }

    Counters counters() {
        return counters;
    }

    Offloads offloads() {
        return offloads;
    }

    void offloads(Offloads on) {
        offloads = on;
    }

    /** Whether {@link #close} has been called. */
    boolean isClosing() {
        return closing.get();
    }

    /**
     * Registers a call that will use the descriptor. Each {@code true} must be paired with one
     * {@link #exit()}.
     *
     * @return {@code false} if the attachment is closing, and the descriptor must not be used
     */
    boolean enter() {
        while (true) {
            int n = users.get();
            if (n == 0 || closing.get()) return false;
            if (users.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Ends a call registered by {@link #enter()}; the last one out after {@link #close} closes the tap. */
    void exit() {
        if (users.decrementAndGet() == 0) {
            tun.close();
            closed.countDown();
        }
    }

    /**
     * Refuses new calls, wakes the receive loop, and waits up to {@code wait} for the calls in
     * progress to end and the descriptor to be closed. Idempotent.
     *
     * @return whether the descriptor is closed on return
     */
    boolean close(Duration wait) {
        if (closing.compareAndSet(false, true)) {
            tun.wakeUp();
            exit();
        }
        try {
            return closed.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closed.getCount() == 0;
        }
    }
}
