package org.mirage4j.virtio;

/** The bits of the device status register (VIRTIO 1.2 §2.1). */
public final class DeviceStatus {

    /** The driver has noticed the device. */
    public static final int ACKNOWLEDGE = 1;
    /** The driver knows how to drive the device. */
    public static final int DRIVER = 2;
    /** The driver is set up and the device may be used. */
    public static final int DRIVER_OK = 4;
    /** The driver has acknowledged the features it understands; feature negotiation is complete. */
    public static final int FEATURES_OK = 8;
    /** The device met an error it cannot recover from without a reset. */
    public static final int DEVICE_NEEDS_RESET = 64;
    /** The driver has given up on the device. */
    public static final int FAILED = 128;

    private DeviceStatus() {}
}
