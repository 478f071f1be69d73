package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.mirage4j.virtio.Transports;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.linux.ErrnoException;
import org.mirage4j.virtio.linux.NativeFile;

/**
 * A legacy virtio PCI device (VIRTIO 1.2 §4.1.4.8): its registers in I/O BAR 0, read and written
 * with one pread/pwrite of the register's width on sysfs's {@code resource0}. Without MSI-X (uio
 * enables none) the device configuration starts at byte 20. Thread use as {@link VirtioTransport}
 * says.
 */
final class LegacyPciTransport implements VirtioTransport {

    static final int HOST_FEATURES = 0;
    static final int GUEST_FEATURES = 4;
    static final int QUEUE_ADDRESS = 8;
    static final int QUEUE_SIZE = 12;
    static final int QUEUE_SELECT = 14;
    static final int QUEUE_NOTIFY = 16;
    static final int DEVICE_STATUS = 18;
    static final int ISR_STATUS = 19;
    static final int DEVICE_CONFIG = 20;
    /** Legacy queues are given by page frame number, in 4096-byte pages. */
    static final int QUEUE_ADDRESS_SHIFT = 12;

    private final int type;
    private final NativeFile io;
    private final long size;
    private final PciInterrupts interrupts;
    private final List<AutoCloseable> resources;
    private boolean closed;

    /**
     * @param io the open {@code resource0}, of {@code size} bytes
     * @param resources closed after the device is reset, in order
     */
    LegacyPciTransport(int type, NativeFile io, long size, PciInterrupts interrupts, List<AutoCloseable> resources) {
        this.type = type;
        this.io = io;
        this.size = size;
        this.interrupts = interrupts;
        this.resources = List.copyOf(resources);
    }

    /** Reads (and so clears) the ISR status byte. */
    int readIsr() throws IOException {
        return (int) io.read(ISR_STATUS, 1);
    }

    private int read(int offset, int width) {
        try {
            return (int) io.read(offset, width);
        } catch (ErrnoException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(int offset, int width, int value) {
        try {
            io.write(offset, width, value);
        } catch (ErrnoException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int deviceType() {
        return type;
    }

    @Override
    public boolean legacy() {
        return true;
    }

    @Override
    public long deviceFeatures() {
        return read(HOST_FEATURES, 4) & 0xffff_ffffL;
    }

    @Override
    public void driverFeatures(long features) {
        write(GUEST_FEATURES, 4, (int) features);
    }

    @Override
    public int status() {
        return read(DEVICE_STATUS, 1);
    }

    @Override
    public void status(int status) {
        write(DEVICE_STATUS, 1, status);
        if (status == 0) Transports.awaitReset(this::status);
    }

    @Override
    public int configGeneration() {
        return 0;
    }

    @Override
    public int readConfig(int offset, int width) {
        checkConfig(offset, width);
        return read(DEVICE_CONFIG + offset, width);
    }

    @Override
    public void writeConfig(int offset, int width, int value) {
        checkConfig(offset, width);
        write(DEVICE_CONFIG + offset, width, value);
    }

    private void checkConfig(int offset, int width) {
        if (offset < 0 || DEVICE_CONFIG + offset + width > size) {
            throw new IndexOutOfBoundsException("device configuration offset " + offset + " width " + width
                    + " outside the " + (size - DEVICE_CONFIG) + " bytes of a legacy device");
        }
    }

    @Override
    public int queueMaxSize(int index) {
        if (index < 0 || index > 0xffff) return 0;
        write(QUEUE_SELECT, 2, index);
        return read(QUEUE_SIZE, 2);
    }

    @Override
    public void enableQueue(int index, int size, long descriptors, long driverArea, long deviceArea) {
        write(QUEUE_SELECT, 2, index);
        int max = read(QUEUE_SIZE, 2);
        if (size != max) throw new IllegalArgumentException("a legacy queue has its maximum size " + max + ", not " + size);
        if ((descriptors & ((1L << QUEUE_ADDRESS_SHIFT) - 1)) != 0 || descriptors >>> (32 + QUEUE_ADDRESS_SHIFT) != 0) {
            throw new IllegalArgumentException("a legacy queue starts on a 4096-byte boundary below 16 TiB, not at 0x"
                    + Long.toHexString(descriptors));
        }
        write(QUEUE_ADDRESS, 4, (int) (descriptors >>> QUEUE_ADDRESS_SHIFT));
    }

    @Override
    public void notifyQueue(int index) {
        write(QUEUE_NOTIFY, 2, index);
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
