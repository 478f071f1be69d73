package org.mirage4j.virtio;

import static java.lang.System.Logger.Level.ERROR;

import org.mirage4j.api.DeviceException;

/**
 * A device a driver has initialised (VIRTIO 1.2 §3.1.1): reset, acknowledged, features
 * negotiated; the driver then creates its queues and calls {@link #ready()}.
 *
 * <p>Feature negotiation: the driver accepts the bits it asks for that the device offers, plus
 * VERSION_1 on a modern device (§6.1: a driver of a modern device must accept it), and nothing else
 * (so no offload the driver does not implement is ever on). A device that does not keep
 * FEATURES_OK set after the driver wrote it refused the set, and initialisation fails with one
 * sentence.
 *
 * <p>Threads: {@link #deviceFailed()} and {@link #fail(String)} may be called from any thread; the
 * rest from the thread that owns the device's setup.
 */
public final class VirtioDevice implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("virtio.device");

    private final String name;
    private final VirtioTransport transport;
    private final long features;
    private volatile String failure;

    private VirtioDevice(String name, VirtioTransport transport, long features) {
        this.name = name;
        this.transport = transport;
        this.features = features;
    }

    /**
     * Resets the device and negotiates features, leaving it ready for queue setup.
     *
     * @param name for messages, such as {@code "virtio-net"}
     * @param wanted the feature bits the driver understands (device-specific and core ones)
     * @throws DeviceException when the device is modern but does not offer VERSION_1, or refuses
     *     the features; the device is then marked FAILED
     */
    public static VirtioDevice initialize(String name, VirtioTransport transport, long wanted) throws DeviceException {
        transport.status(0);
        transport.status(DeviceStatus.ACKNOWLEDGE);
        transport.status(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        long offered = transport.deviceFeatures();
        long accepted = offered & wanted;
        if (transport.legacy()) {
            accepted &= 0xFFFF_FFFFL;
        } else {
            if ((offered & Features.bit(Features.VERSION_1)) == 0) {
                transport.status(transport.status() | DeviceStatus.FAILED);
                throw new DeviceException("The " + name + " device speaks neither VIRTIO 1.x nor legacy virtio; give QEMU a standard virtio device.");
            }
            accepted |= Features.bit(Features.VERSION_1);
        }
        transport.driverFeatures(accepted);
        if (!transport.legacy()) {
            int status = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK;
            transport.status(status);
            if ((transport.status() & DeviceStatus.FEATURES_OK) == 0) {
                transport.status(transport.status() | DeviceStatus.FAILED);
                throw new DeviceException("The " + name + " device refused the features 0x" + Long.toHexString(accepted)
                        + " the driver accepted from its offer 0x" + Long.toHexString(offered)
                        + "; use a device that accepts a subset of what it offers (a QEMU of version 2.7 or later).");
            }
        }
        return new VirtioDevice(name, transport, accepted);
    }

    /** The transport of this device. */
    public VirtioTransport transport() {
        return transport;
    }

    /** The negotiated feature bits. */
    public long features() {
        return features;
    }

    /** Whether feature bit {@code bit} was negotiated. */
    public boolean has(int bit) {
        return (features & Features.bit(bit)) != 0;
    }

    /** Tells the device the driver is ready (DRIVER_OK); after the queues are set up. */
    public void ready() {
        int status = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.DRIVER_OK;
        if (!transport.legacy()) status |= DeviceStatus.FEATURES_OK;
        transport.status(status);
    }

    /**
     * Checks whether the device asked for a reset (DEVICE_NEEDS_RESET, §2.1.2) and, if so, gives up
     * on it; returns why the device no longer works, or null while it does.
     */
    public String checkHealth() {
        String failed = failure;
        if (failed != null) return failed;
        if ((transport.status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
            fail("The " + name + " device reported an error it cannot recover from (DEVICE_NEEDS_RESET); restart the unikernel.");
        }
        return failure;
    }

    /** Why the driver gave up on the device, or null while it works. */
    public String deviceFailed() {
        return failure;
    }

    /**
     * Gives up on the device: sets FAILED in its status and logs {@code message} once; later calls
     * keep the first message.
     */
    public synchronized void fail(String message) {
        if (failure != null) return;
        failure = message;
        LOG.log(ERROR, message);
        try {
            transport.status(transport.status() | DeviceStatus.FAILED);
        } catch (RuntimeException e) {
            LOG.log(ERROR, "Could not mark the " + name + " device failed", e);
        }
    }

    /**
     * Reads {@code length} bytes of the configuration space at {@code offset}, again while the
     * configuration generation changes under the read (§2.5.1).
     */
    public byte[] readConfig(int offset, int length) {
        while (true) {
            int before = transport.configGeneration();
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) out[i] = (byte) transport.readConfig(offset + i, 1);
            if (transport.configGeneration() == before) return out;
        }
    }

    /** Reads a little-endian 32-bit configuration field. */
    public int readConfig32(int offset) {
        return transport.readConfig(offset, 4);
    }

    /** Reads a little-endian 16-bit configuration field. */
    public int readConfig16(int offset) {
        return transport.readConfig(offset, 2) & 0xFFFF;
    }

    /** Reads a little-endian 64-bit configuration field consistently (§2.5.1). */
    public long readConfig64(int offset) {
        while (true) {
            int before = transport.configGeneration();
            long low = Integer.toUnsignedLong(transport.readConfig(offset, 4));
            long high = Integer.toUnsignedLong(transport.readConfig(offset + 4, 4));
            if (transport.configGeneration() == before) return (high << 32) | low;
        }
    }

    /** Resets the device and releases it; never throws. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
