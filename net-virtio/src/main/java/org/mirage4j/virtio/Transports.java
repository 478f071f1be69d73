package org.mirage4j.virtio;

import java.lang.System.Logger;
import java.util.List;
import java.util.function.IntSupplier;

/** What every transport (PCI modern and legacy, MMIO) does the same way: waiting out a reset, and letting go. */
public final class Transports {

    /** How long a device may take to read back status 0 after a reset. */
    private static final long RESET_NANOS = 1_000_000_000L;

    private Transports() {}

    /**
     * Waits until {@code status} reads 0 after the driver wrote 0 (§4.1.4.3.2, §4.2.3.1.1: the driver waits for
     * the reset to finish).
     *
     * @throws IllegalStateException if it does not within a second
     */
    public static void awaitReset(IntSupplier status) {
        long deadline = System.nanoTime() + RESET_NANOS;
        while (status.getAsInt() != 0) {
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException("the virtio device did not finish its reset within 1 s");
            Thread.onSpinWait();
        }
    }

    /** Closes each of {@code resources} in order, logging what fails on {@code log}. Does not throw. */
    public static void closeAll(List<? extends AutoCloseable> resources, Logger log) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.log(Logger.Level.WARNING, "closing " + resource + " failed: " + e);
            }
        }
    }

    /**
     * Resets the device behind {@code transport} so that it stops using the driver's memory, then closes
     * {@code resources} in order; logs what fails on {@code log}. Does not throw.
     */
    public static void resetAndClose(VirtioTransport transport, List<? extends AutoCloseable> resources, Logger log) {
        try {
            transport.status(0);
        } catch (RuntimeException e) {
            log.log(Logger.Level.WARNING, "resetting the device on close failed: " + e);
        }
        closeAll(resources, log);
    }
}
