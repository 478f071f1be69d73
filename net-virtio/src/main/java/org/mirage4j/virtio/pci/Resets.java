package org.mirage4j.virtio.pci;

import java.util.List;
import java.util.function.IntSupplier;

/** What the PCI transports share: waiting out a reset, and closing what a transport holds. */
final class Resets {

    /** How long a device may take to read back status 0 after a reset. */
    private static final long RESET_NANOS = 1_000_000_000L;

    private Resets() {}

    /** Waits until {@code status} reads 0 (§4.1.4.3.2: the driver waits for the reset to finish). */
    static void awaitZero(IntSupplier status) {
        long deadline = System.nanoTime() + RESET_NANOS;
        while (status.getAsInt() != 0) {
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException("the virtio device did not finish its reset within 1 s");
            Thread.onSpinWait();
        }
    }

    /** Closes each of {@code resources} in order, logging what fails. Does not throw. */
    static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.getLogger("virtio.pci").log(System.Logger.Level.WARNING, "closing " + resource + " failed: " + e);
            }
        }
    }
}
