package org.mirage4j.virtio.mmio;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.mirage4j.virtio.Transports;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.linux.Registers;

/**
 * A virtio-mmio device (VIRTIO 1.2 §4.2): version 2, or the legacy version 1 (§4.2.4). Always
 * polled: the kernel owns the interrupt line, and no uio driver hands it to us. Thread use as
 * {@link VirtioTransport} says.
 */
final class MmioTransport implements VirtioTransport {

    static final int MAGIC_VALUE = 0x000;
    static final int VERSION = 0x004;
    static final int DEVICE_ID = 0x008;
    static final int DEVICE_FEATURES = 0x010;
    static final int DEVICE_FEATURES_SEL = 0x014;
    static final int DRIVER_FEATURES = 0x020;
    static final int DRIVER_FEATURES_SEL = 0x024;
    static final int GUEST_PAGE_SIZE = 0x028;
    static final int QUEUE_SEL = 0x030;
    static final int QUEUE_NUM_MAX = 0x034;
    static final int QUEUE_NUM = 0x038;
    static final int QUEUE_ALIGN = 0x03c;
    static final int QUEUE_PFN = 0x040;
    static final int QUEUE_READY = 0x044;
    static final int QUEUE_NOTIFY = 0x050;
    static final int INTERRUPT_STATUS = 0x060;
    static final int INTERRUPT_ACK = 0x064;
    static final int STATUS = 0x070;
    static final int QUEUE_DESC = 0x080;
    static final int QUEUE_DRIVER = 0x090;
    static final int QUEUE_DEVICE = 0x0a0;
    static final int CONFIG_GENERATION = 0x0fc;
    static final int CONFIG = 0x100;

    /** "virt" in little-endian. */
    static final int MAGIC = 0x7472_6976;
    /** A legacy device's queue is given in pages of this size, aligned to it (§4.2.4). */
    static final int LEGACY_PAGE = 4096;
    /** How long a wait sleeps at most before the caller looks at its queues. */
    static final Duration POLL_INTERVAL = Duration.ofNanos(200_000);

    private final Registers registers;
    private final boolean legacy;
    private final int type;
    private final List<AutoCloseable> resources;
    private volatile boolean closed;

    /**
     * @param registers the device's register window, checked by {@link #probe}
     * @param resources closed after the device is reset, in order (the mapping, the claim)
     */
    MmioTransport(Registers registers, List<AutoCloseable> resources) {
        this.registers = registers;
        this.legacy = registers.read32(VERSION) == 1;
        this.type = registers.read32(DEVICE_ID);
        this.resources = List.copyOf(resources);
    }

    /**
     * The virtio device type in a register window: 0 when it holds no virtio-mmio device (wrong
     * magic, an unknown version, or device id 0, an empty QEMU slot).
     */
    static int probe(Registers registers) {
        if (registers.size() < CONFIG) return 0;
        if (registers.read32(MAGIC_VALUE) != MAGIC) return 0;
        int version = registers.read32(VERSION);
        if (version != 1 && version != 2) return 0;
        return registers.read32(DEVICE_ID);
    }

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
        registers.write32(DEVICE_FEATURES_SEL, 0);
        long low = registers.read32(DEVICE_FEATURES) & 0xffff_ffffL;
        if (legacy) return low;
        registers.write32(DEVICE_FEATURES_SEL, 1);
        return (registers.read32(DEVICE_FEATURES) & 0xffff_ffffL) << 32 | low;
    }

    @Override
    public void driverFeatures(long features) {
        registers.write32(DRIVER_FEATURES_SEL, 0);
        registers.write32(DRIVER_FEATURES, (int) features);
        if (legacy) return;
        registers.write32(DRIVER_FEATURES_SEL, 1);
        registers.write32(DRIVER_FEATURES, (int) (features >>> 32));
    }

    @Override
    public int status() {
        return registers.read32(STATUS) & 0xff;
    }

    @Override
    public void status(int status) {
        registers.write32(STATUS, status);
        if (status != 0) return;
        Transports.awaitReset(this::status);
    }

    @Override
    public int configGeneration() {
        return legacy ? 0 : registers.read32(CONFIG_GENERATION);
    }

    @Override
    public int readConfig(int offset, int width) {
        checkConfig(offset, width);
        return registers.read(CONFIG + offset, width);
    }

    @Override
    public void writeConfig(int offset, int width, int value) {
        checkConfig(offset, width);
        registers.write(CONFIG + offset, width, value);
    }

    private void checkConfig(int offset, int width) {
        if (offset < 0 || CONFIG + offset + width > registers.size()) {
            throw new IndexOutOfBoundsException("device configuration offset " + offset + " width " + width + " outside the "
                    + (registers.size() - CONFIG) + " bytes of the register window");
        }
    }

    @Override
    public int queueMaxSize(int index) {
        registers.write32(QUEUE_SEL, index);
        return registers.read32(QUEUE_NUM_MAX);
    }

    @Override
    public void enableQueue(int index, int size, long descriptors, long driverArea, long deviceArea) {
        registers.write32(QUEUE_SEL, index);
        registers.write32(QUEUE_NUM, size);
        if (legacy) {
            if ((descriptors & (LEGACY_PAGE - 1)) != 0) {
                throw new IllegalArgumentException("a legacy queue starts on a 4096-byte boundary, not at 0x" + Long.toHexString(descriptors));
            }
            registers.write32(GUEST_PAGE_SIZE, LEGACY_PAGE);
            registers.write32(QUEUE_ALIGN, LEGACY_PAGE);
            registers.write32(QUEUE_PFN, (int) (descriptors / LEGACY_PAGE));
            return;
        }
        write64(QUEUE_DESC, descriptors);
        write64(QUEUE_DRIVER, driverArea);
        write64(QUEUE_DEVICE, deviceArea);
        registers.write32(QUEUE_READY, 1);
    }

    private void write64(int offset, long value) {
        registers.write32(offset, (int) value);
        registers.write32(offset + 4, (int) (value >>> 32));
    }

    @Override
    public void notifyQueue(int index) {
        registers.write32(QUEUE_NOTIFY, index);
    }

    @Override
    public boolean hasInterrupts() {
        return false;
    }

    /** Sleeps a little (polled), then acknowledges whatever interrupt the device raised meanwhile. */
    @Override
    public boolean awaitInterrupt(Duration timeout) throws IOException, InterruptedException {
        if (closed) throw new IOException("the virtio device is closed");
        Thread.sleep(timeout.compareTo(POLL_INTERVAL) < 0 ? timeout : POLL_INTERVAL);
        if (closed) throw new IOException("the virtio device is closed");
        int pending = registers.read32(INTERRUPT_STATUS);
        if (pending != 0) registers.write32(INTERRUPT_ACK, pending);
        return pending != 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        Transports.resetAndClose(this, resources, System.getLogger("virtio.mmio"));
    }
}
