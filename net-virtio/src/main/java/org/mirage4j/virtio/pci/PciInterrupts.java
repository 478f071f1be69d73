package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.mirage4j.virtio.linux.ErrnoException;
import org.mirage4j.virtio.linux.NativeFile;

/**
 * A PCI virtio device's interrupt: INTx through {@code /dev/uioN} (read blocks until an interrupt;
 * poll(2) waits with a timeout), or, without uio, a short sleep so that the caller polls its queues.
 * Acknowledging is reading the ISR status, which deasserts the line (VIRTIO 1.2 §4.1.4.5), then
 * unmasking INTx.
 *
 * <p>One thread at a time waits (a lock), in poll(2): a platform thread, such as a driver's receive
 * loop (on a virtual thread the wait would pin its carrier). {@link #close()} makes it return within
 * {@value #SLICE_MILLIS} ms, and then closes the uio file.
 */
final class PciInterrupts implements AutoCloseable {

    /** Reads and so clears the ISR status. */
    interface IsrReader {
        int read() throws IOException;
    }

    /** The longest a single poll(2) blocks, which bounds how long {@link #close()} waits. */
    static final int SLICE_MILLIS = 100;
    /** How long a wait without interrupts sleeps at most before the caller looks at its queues. */
    static final Duration POLL_INTERVAL = Duration.ofNanos(200_000);

    private final NativeFile uio;
    private final NativeFile config;
    private final IsrReader isr;
    private final ReentrantLock waiting = new ReentrantLock();
    private volatile boolean closed;

    /**
     * @param uio the open {@code /dev/uioN}, or null to poll
     * @param config the function's sysfs {@code config} file, kept open by the caller
     */
    PciInterrupts(NativeFile uio, NativeFile config, IsrReader isr) {
        this.uio = uio;
        this.config = config;
        this.isr = isr;
    }

    boolean available() {
        return uio != null;
    }

    /** See {@link org.mirage4j.virtio.VirtioTransport#awaitInterrupt}. */
    boolean await(Duration timeout) throws IOException, InterruptedException {
        if (closed) throw new IOException("the virtio device is closed");
        if (uio == null) {
            Thread.sleep(timeout.compareTo(POLL_INTERVAL) < 0 ? timeout : POLL_INTERVAL);
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting.lockInterruptibly();
        try {
            while (true) {
                if (closed) throw new IOException("the virtio device is closed");
                long left = deadline - System.nanoTime();
                int slice = (int) Math.clamp((left + 999_999) / 1_000_000, 0, SLICE_MILLIS);
                if (uio.awaitInput(slice)) {
                    uio.readCount(); // the interrupt count; reading it rearms poll(2)
                    isr.read();
                    PciCommand.unmaskInterrupt(config);
                    return true;
                }
                if (Thread.interrupted()) throw new InterruptedException();
                if (System.nanoTime() - deadline >= 0) return false;
            }
        } finally {
            waiting.unlock();
        }
    }

    /** Makes a waiting thread return, then closes the uio file. Does not throw. */
    @Override
    public void close() {
        closed = true;
        if (uio == null) return;
        waiting.lock(); // a waiter sees closed within one slice
        try {
            uio.close();
        } finally {
            waiting.unlock();
        }
    }

    /** Unmasks INTx once at start, in case an earlier user of the device left it masked. */
    void start() throws ErrnoException {
        if (uio != null) PciCommand.unmaskInterrupt(config);
    }
}
