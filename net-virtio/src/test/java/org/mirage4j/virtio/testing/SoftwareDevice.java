package org.mirage4j.virtio.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.virtio.DeviceStatus;
import org.mirage4j.virtio.Features;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.VirtqueueLayout;

/**
 * A virtio device in ordinary Java: its registers are this transport's fields, and once the
 * driver sets DRIVER_OK a worker thread of its own serves its queues through {@link DeviceRing}s,
 * as a device in another process would. Modern (VIRTIO 1.x: VERSION_1, FEATURES_OK) or legacy
 * (32 feature bits, the legacy queue layout, fixed queue sizes).
 *
 * <p>A device refuses (does not keep FEATURES_OK for) a feature set with bits it did not offer, and
 * sets DEVICE_NEEDS_RESET when the driver makes it fault (a descriptor outside DMA memory, a
 * looping chain): a correct driver never sees either. Tests make it misbehave on purpose with
 * {@link #misbehave}, {@link #stall} and {@link #requestReset}.
 *
 * <p>Threads: the transport methods follow {@link VirtioTransport}; the test-facing methods may be
 * called from any thread.
 */
public abstract class SoftwareDevice implements VirtioTransport {

    private final int type;
    private final boolean legacy;
    private final int queueCount;
    private final int queueMaxSize;
    protected final SoftwareDmaMemory memory;
    private final long offered;

    private final Object registers = new Object();
    private volatile int status;
    private volatile long accepted;
    private volatile int generation;
    private final DeviceRing[] rings;
    private final Semaphore interrupts = new Semaphore(0);
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread worker;
    private volatile boolean running;
    private volatile boolean claimed;
    private volatile boolean closed;
    private volatile boolean stalled;
    private volatile boolean faulted;
    private volatile String fault;
    private final Map<Misbehaviour, Integer> misbehaviours = new EnumMap<>(Misbehaviour.class);
    private final AtomicLong notifications = new AtomicLong();
    private volatile long rejectedFeatures;

    /**
     * @param offered the device-specific feature bits offered; RING_EVENT_IDX is added when
     *     {@code eventIndex}, VERSION_1 when not {@code legacy}
     */
    protected SoftwareDevice(int type, SoftwareDmaMemory memory, boolean legacy, int queueCount, int queueMaxSize,
            long offered, boolean eventIndex) {
        this.type = type;
        this.memory = memory;
        this.legacy = legacy;
        this.queueCount = queueCount;
        this.queueMaxSize = queueMaxSize;
        long all = offered | (eventIndex ? Features.bit(Features.RING_EVENT_IDX) : 0);
        this.offered = legacy ? all & 0xFFFF_FFFFL : all | Features.bit(Features.VERSION_1);
        this.rings = new DeviceRing[queueCount];
    }

    // ---- what the device type does -------------------------------------------------------------

    /** The device-specific configuration space, little-endian. */
    protected abstract byte[] config();

    /**
     * Serves the queues once, on the worker thread: takes what is available, completes it with
     * {@link #complete}, and signals with {@link #signal}. Returns whether anything was done.
     */
    protected abstract boolean service();

    /** Forgets the device-specific state of the last driver (queued frames stay). */
    protected void onReset() {}

    /** The queue {@code index}, or null while the driver has not enabled it. */
    protected final DeviceRing ring(int index) {
        return rings[index];
    }

    /**
     * The device side of queue {@code index}, for tests that play the device by hand on a device
     * whose driver never set DRIVER_OK (so no worker serves it); null while not enabled.
     */
    public final DeviceRing deviceRing(int index) {
        return rings[index];
    }

    /** Whether feature {@code bit} was negotiated. */
    public final boolean negotiated(int bit) {
        return (accepted & Features.bit(bit)) != 0;
    }

    /**
     * Gives a chain back with {@code written} bytes, applying a pending {@link Misbehaviour}.
     */
    protected final void complete(DeviceRing ring, Chain chain, int written) {
        if (take(Misbehaviour.USED_INDEX_JUMP)) {
            ring.jump(ring.size() + 1);
            return;
        }
        if (take(Misbehaviour.ID_OUT_OF_RANGE)) ring.push(ring.size() + 7, written);
        int length = take(Misbehaviour.LENGTH_TOO_LONG) ? (int) chain.writableLength() + 100 : written;
        ring.push(chain.head(), length);
        if (take(Misbehaviour.ID_REPEATED)) ring.push(chain.head(), written);
        ring.publish();
    }

    /** Raises an interrupt if the driver wants one for what {@code ring} used since the last call. */
    protected final void signal(DeviceRing ring) {
        if (ring.shouldInterrupt()) interrupts.release();
    }

    /**
     * Asks the driver to notify {@code ring} when it adds chains (before the worker sleeps); true
     * when chains are already waiting, and the worker should serve again instead.
     */
    protected final boolean arm(DeviceRing ring) {
        return ring.armNotifications();
    }

    /** Wakes the worker (new work from the test side). */
    protected final void wake() {
        wake.release();
    }

    // ---- the test's controls -------------------------------------------------------------------

    /** Makes the next {@code times} completions (or the next negotiation) go wrong in way {@code m}. */
    public final void misbehave(Misbehaviour m, int times) {
        synchronized (misbehaviours) {
            misbehaviours.merge(m, times, Integer::sum);
        }
    }

    /** While true, the device consumes nothing from its available rings. */
    public final void stall(boolean stall) {
        stalled = stall;
        wake();
    }

    /** Sets DEVICE_NEEDS_RESET, raises a configuration interrupt, and stops serving the queues. */
    public final void requestReset() {
        faulted = true;
        synchronized (registers) {
            status |= DeviceStatus.DEVICE_NEEDS_RESET;
            generation++;
        }
        interrupts.release();
    }

    /** Why the device faulted because of its driver, or null. */
    public final String fault() {
        return fault;
    }

    /** The features the driver accepted. */
    public final long acceptedFeatures() {
        return accepted;
    }

    /** The last feature set refused for bits the device did not offer, or 0. */
    public final long rejectedFeatures() {
        return rejectedFeatures;
    }

    /** The notifications the driver sent. */
    public final long notifications() {
        return notifications.get();
    }

    /** Whether a driver holds the device. */
    public final boolean claimed() {
        return claimed;
    }

    synchronized boolean tryClaim() {
        if (claimed) return false;
        claimed = true;
        closed = false;
        return true;
    }

    private boolean take(Misbehaviour m) {
        synchronized (misbehaviours) {
            Integer left = misbehaviours.get(m);
            if (left == null || left == 0) return false;
            misbehaviours.put(m, left - 1);
            return true;
        }
    }

    // ---- VirtioTransport --------------------------------------------------------------------------

    @Override
    public int deviceType() {
        return type;
    }

    @Override
    public boolean legacy() {
        return legacy;
    }

    @Override
    public long deviceFeatures() {
        return offered;
    }

    @Override
    public void driverFeatures(long features) {
        accepted = features;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void status(int value) {
        if (value == 0) {
            reset();
            return;
        }
        boolean start;
        synchronized (registers) {
            int old = status;
            if ((value & DeviceStatus.FEATURES_OK) != 0 && (old & DeviceStatus.FEATURES_OK) == 0) {
                boolean foreign = (accepted & ~offered) != 0;
                if (foreign) rejectedFeatures = accepted;
                if (foreign || take(Misbehaviour.REFUSE_FEATURES)) value &= ~DeviceStatus.FEATURES_OK;
            }
            value |= old & DeviceStatus.DEVICE_NEEDS_RESET;
            status = value;
            start = (value & DeviceStatus.DRIVER_OK) != 0 && (old & DeviceStatus.DRIVER_OK) == 0;
        }
        if (start) startWorker();
    }

    @Override
    public int configGeneration() {
        return legacy ? 0 : generation;
    }

    @Override
    public int readConfig(int offset, int width) {
        byte[] config = config();
        int value = 0;
        for (int i = 0; i < width; i++) value |= (config[offset + i] & 0xFF) << (8 * i);
        return value;
    }

    @Override
    public void writeConfig(int offset, int width, int value) {
        // No writable configuration fields in these devices.
    }

    @Override
    public int queueMaxSize(int index) {
        return index < queueCount ? queueMaxSize : 0;
    }

    @Override
    public void enableQueue(int index, int size, long descriptors, long driverArea, long deviceArea) {
        if (legacy) {
            if (size != queueMaxSize) throw new IllegalArgumentException("A legacy queue has the device's size " + queueMaxSize + ", not " + size);
            // A legacy device knows only the descriptor table's address and derives the rest (§2.7.2).
            VirtqueueLayout layout = VirtqueueLayout.of(size, true);
            driverArea = descriptors + layout.availOffset();
            deviceArea = descriptors + layout.usedOffset();
            if (descriptors % VirtqueueLayout.LEGACY_ALIGN != 0) throw new IllegalArgumentException("A legacy queue is page-aligned.");
        }
        rings[index] = new DeviceRing(memory, size, descriptors, driverArea, deviceArea,
                (accepted & Features.bit(Features.RING_EVENT_IDX)) != 0);
    }

    @Override
    public void notifyQueue(int index) {
        notifications.incrementAndGet();
        wake.release();
    }

    @Override
    public boolean hasInterrupts() {
        return true;
    }

    @Override
    public boolean awaitInterrupt(Duration timeout) throws IOException, InterruptedException {
        if (closed) throw new IOException("The software virtio device is closed.");
        boolean got = interrupts.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        interrupts.drainPermits();
        if (closed) throw new IOException("The software virtio device is closed.");
        return got;
    }

    @Override
    public void close() {
        reset();
        closed = true;
        interrupts.release();
        claimed = false;
    }

    private void reset() {
        stopWorker();
        synchronized (registers) {
            status = 0;
            accepted = 0;
            faulted = false;
            Arrays.fill(rings, null);
        }
        onReset();
    }

    private synchronized void startWorker() {
        if (worker != null) return;
        running = true;
        worker = Thread.ofPlatform().daemon().name("software-virtio-" + type).start(this::work);
    }

    private synchronized void stopWorker() {
        Thread w = worker;
        if (w == null) return;
        running = false;
        wake.release();
        try {
            w.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker = null;
    }

    private void work() {
        while (running) {
            boolean progressed = false;
            if (!stalled && !faulted) {
                try {
                    progressed = service();
                } catch (IllegalArgumentException e) {
                    fault = e.getMessage();
                    requestReset();
                }
            }
            if (!progressed) {
                try {
                    wake.tryAcquire(1, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
