package org.mirage4j.virtio;

import java.io.IOException;
import java.time.Duration;

/**
 * The registers of one virtio device, whatever carries them (VIRTIO 1.2 §4): the PCI modern
 * capabilities, the PCI legacy I/O BAR, virtio-mmio (version 1 legacy or 2), or a software device.
 * The driver owns the order of operations (§3.1.1 initialization); the transport only moves
 * values. All multi-byte values are little-endian on the wire (legacy devices use the guest's
 * order, which on x86 is the same).
 *
 * <p>Not safe for concurrent use, except {@link #notifyQueue}, which any thread may call, and
 * {@link #awaitInterrupt}, which one thread at a time may call while others notify.
 */
public interface VirtioTransport extends AutoCloseable {

    /** The device type (§5; {@link VirtioBus#NETWORK}, {@link VirtioBus#BLOCK}). */
    int deviceType();

    /**
     * True when the device speaks only legacy virtio (0.9.5): 32 feature bits, no FEATURES_OK step,
     * and each queue one contiguous area whose used ring starts on a 4096-byte boundary (§2.7.2
     * "Legacy Interfaces: A Note on Virtqueue Layout"), with the queue size fixed at
     * {@link #queueMaxSize}.
     */
    boolean legacy();

    /** The feature bits the device offers (only the low 32 for a legacy device). */
    long deviceFeatures();

    /** Writes the feature bits the driver accepts, a subset of {@link #deviceFeatures()}. */
    void driverFeatures(long features);

    /** The device status register (§2.1). */
    int status();

    /**
     * Writes the device status register; 0 resets the device, and returns once the device reads
     * back 0 (§4.1.4.3.2).
     */
    void status(int status);

    /** The configuration generation (§2.5.1); always 0 on a legacy device. */
    int configGeneration();

    /** Reads {@code width} (1, 2 or 4) bytes of the device-specific configuration at {@code offset}. */
    int readConfig(int offset, int width);

    /** Writes {@code width} (1, 2 or 4) bytes of the device-specific configuration at {@code offset}. */
    void writeConfig(int offset, int width, int value);

    /** The largest size queue {@code index} may have, or 0 when the device has no such queue. */
    int queueMaxSize(int index);

    /**
     * Gives queue {@code index} its size and the device addresses of its three parts (§2.7), and
     * enables it. A legacy device takes only {@code descriptors}, and expects the layout described
     * at {@link #legacy()} with {@code size == queueMaxSize(index)}.
     */
    void enableQueue(int index, int size, long descriptors, long driverArea, long deviceArea);

    /** Tells the device that queue {@code index} has new available buffers (§2.7.13.3). */
    void notifyQueue(int index);

    /** True when {@link #awaitInterrupt} waits for the device; false when it can only poll. */
    boolean hasInterrupts();

    /**
     * Waits until the device signals an interrupt or {@code timeout} passes, then acknowledges it
     * (reads the ISR status; re-enables the interrupt line). Without interrupts it sleeps for at most
     * {@code timeout}, so the caller polls its queues after every return whatever the result.
     *
     * @return false when the wait timed out (a spurious or polled return is true or false at the
     *     transport's choice; callers check their queues either way)
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws IOException when the transport is closed while waiting, or its interrupt file fails
     */
    boolean awaitInterrupt(Duration timeout) throws IOException, InterruptedException;

    /**
     * Resets the device and releases the claim; a thread blocked in {@link #awaitInterrupt}
     * returns. Must not throw.
     */
    @Override
    void close();
}
