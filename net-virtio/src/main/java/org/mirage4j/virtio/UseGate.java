package org.mirage4j.virtio;

import java.time.Duration;

/**
 * Counts the calls using a connected device, so that disconnecting frees the device's memory only
 * once no call touches it any more: a call {@link #enter()}s and {@link #exit()}s; {@link #close}
 * refuses new calls, waits a while for the running ones, and runs the cleanup when the last one
 * leaves (at once, or at that call's exit).
 *
 * <p>Threads: safe for concurrent use.
 */
public final class UseGate {

    private int users;
    private boolean closing;
    private Runnable cleanup;

    /** Enters the gate; false when it is closing, and the caller must not touch the device. */
    public synchronized boolean enter() {
        if (closing) return false;
        users++;
        return true;
    }

    /** Leaves the gate; the last caller out after {@link #close} runs the cleanup. */
    public void exit() {
        Runnable run = null;
        synchronized (this) {
            users--;
            if (users == 0) {
                notifyAll();
                run = cleanup;
                cleanup = null;
            }
        }
        if (run != null) run.run();
    }

    /** Whether {@link #close} was called: loops in the gate should return. */
    public synchronized boolean isClosing() {
        return closing;
    }

    /**
     * Refuses new calls, waits up to {@code wait} for the running ones to leave, and runs
     * {@code cleanup} on this thread if they did; otherwise the last one to leave runs it.
     *
     * @return true when the cleanup ran here; false when it was left to a running call, or the gate
     *     was already closed
     */
    public boolean close(Duration wait, Runnable cleanup) {
        synchronized (this) {
            if (closing) return false;
            closing = true;
            long deadline = System.nanoTime() + wait.toNanos();
            boolean interrupted = false;
            while (users > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (users > 0) {
                this.cleanup = cleanup;
                return false;
            }
        }
        cleanup.run();
        return true;
    }
}
