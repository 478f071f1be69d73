package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.mirage4j.virtio.Transports;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.linux.Registers;

/**
 * A modern virtio PCI device (VIRTIO 1.2 §4.1.4): the common configuration, notification area, ISR
 * and device configuration in mapped memory BARs. Thread use as {@link VirtioTransport} says.
 */
final class ModernPciTransport implements VirtioTransport {

    // struct virtio_pci_common_cfg (§4.1.4.3)
    static final int DEVICE_FEATURE_SELECT = 0;
    static final int DEVICE_FEATURE = 4;
    static final int DRIVER_FEATURE_SELECT = 8;
    static final int DRIVER_FEATURE = 12;
    static final int NUM_QUEUES = 18;
    static final int DEVICE_STATUS = 20;
    static final int CONFIG_GENERATION = 21;
    static final int QUEUE_SELECT = 22;
    static final int QUEUE_SIZE = 24;
    static final int QUEUE_ENABLE = 28;
    static final int QUEUE_NOTIFY_OFF = 30;
    static final int QUEUE_DESC = 32;
    static final int QUEUE_DRIVER = 40;
    static final int QUEUE_DEVICE = 48;

    private final int type;
    private final Registers common;
    private final Registers notify;
    private final long notifyOffMultiplier;
    private final Registers isr;
    private final Registers device;
    private final PciInterrupts interrupts;
    private final List<AutoCloseable> resources;
    private final AtomicLongArray notifyOffsets;
    private boolean closed;

    /**
     * @param device the device configuration, empty-sized when the device has none
     * @param resources closed after the device is reset, in order (mappings, files, the claim)
     */
    ModernPciTransport(int type, Registers common, Registers notify, long notifyOffMultiplier, Registers isr,
            Registers device, PciInterrupts interrupts, List<AutoCloseable> resources) {
        this.type = type;
        this.common = common;
        this.notify = notify;
        this.notifyOffMultiplier = notifyOffMultiplier;
        this.isr = isr;
        this.device = device;
        this.interrupts = interrupts;
        this.resources = List.copyOf(resources);
        this.notifyOffsets = new AtomicLongArray(common.read(NUM_QUEUES, 2));
        for (int i = 0; i < notifyOffsets.length(); i++) notifyOffsets.set(i, -1);
    }

    /** Reads (and so clears) the ISR status byte. */
    int readIsr() {
        return isr.read(0, 1);
    }

    @Override
    public int deviceType() {
        return type;
    }

    @Override
    public boolean legacy() {
        return false;
    }

    @Override
    public long deviceFeatures() {
        common.write32(DEVICE_FEATURE_SELECT, 0);
        long low = common.read32(DEVICE_FEATURE) & 0xffff_ffffL;
        common.write32(DEVICE_FEATURE_SELECT, 1);
        long high = common.read32(DEVICE_FEATURE) & 0xffff_ffffL;
        return high << 32 | low;
    }

    @Override
    public void driverFeatures(long features) {
        common.write32(DRIVER_FEATURE_SELECT, 0);
        common.write32(DRIVER_FEATURE, (int) features);
        common.write32(DRIVER_FEATURE_SELECT, 1);
        common.write32(DRIVER_FEATURE, (int) (features >>> 32));
    }

    @Override
    public int status() {
        return common.read(DEVICE_STATUS, 1);
    }

    @Override
    public void status(int status) {
        common.write(DEVICE_STATUS, 1, status);
        if (status == 0) Transports.awaitReset(this::status);
    }

    @Override
    public int configGeneration() {
        return common.read(CONFIG_GENERATION, 1);
    }

    @Override
    public int readConfig(int offset, int width) {
        checkConfig(offset, width);
        return device.read(offset, width);
    }

    @Override
    public void writeConfig(int offset, int width, int value) {
        checkConfig(offset, width);
        device.write(offset, width, value);
    }

    private void checkConfig(int offset, int width) {
        if (offset < 0 || offset + width > device.size()) {
            throw new IndexOutOfBoundsException("device configuration offset " + offset + " width " + width
                    + " outside its " + device.size() + " bytes");
        }
    }

    @Override
    public int queueMaxSize(int index) {
        if (index < 0 || index >= notifyOffsets.length()) return 0;
        common.write(QUEUE_SELECT, 2, index);
        return common.read(QUEUE_SIZE, 2);
    }

    @Override
    public void enableQueue(int index, int size, long descriptors, long driverArea, long deviceArea) {
        if (index < 0 || index >= notifyOffsets.length()) throw new IllegalArgumentException("no queue " + index);
        common.write(QUEUE_SELECT, 2, index);
        common.write(QUEUE_SIZE, 2, size);
        write64(QUEUE_DESC, descriptors);
        write64(QUEUE_DRIVER, driverArea);
        write64(QUEUE_DEVICE, deviceArea);
        notifyOffsets.set(index, (long) common.read(QUEUE_NOTIFY_OFF, 2) * notifyOffMultiplier);
        common.write(QUEUE_ENABLE, 2, 1);
    }

    /** The driver may write a 64-bit field as its low then its high half (§4.1.3.1). */
    private void write64(int offset, long value) {
        common.write32(offset, (int) value);
        common.write32(offset + 4, (int) (value >>> 32));
    }

    @Override
    public void notifyQueue(int index) {
        long offset = notifyOffsets.get(index);
        if (offset < 0) throw new IllegalStateException("queue " + index + " is not enabled");
        notify.write(offset, 2, index);
    }

    @Override
    public boolean hasInterrupts() {
        return interrupts.available();
    }

    @Override
    public boolean awaitInterrupt(Duration timeout) throws IOException, InterruptedException {
        return interrupts.await(timeout);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        // The interrupt file first: the device is reset and raises nothing more.
        Transports.resetAndClose(this, Stream.concat(Stream.of(interrupts), resources.stream()).toList(),
                System.getLogger("virtio.pci"));
    }
}
