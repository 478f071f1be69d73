package org.mirage4j.virtio;

/** Feature bits every device type shares (VIRTIO 1.2 §6), as bit numbers. */
public final class Features {

    /** Descriptors may point at tables of descriptors. */
    public static final int INDIRECT_DESC = 28;
    /** The used_event and avail_event fields suppress notifications (§2.7.10). */
    public static final int RING_EVENT_IDX = 29;
    /** Legacy only: the device accepts any framing of headers and data across descriptors. */
    public static final int ANY_LAYOUT = 27;
    /** The device speaks VIRTIO 1.x, not legacy; a modern device must be driven with it. */
    public static final int VERSION_1 = 32;

    private Features() {}

    /** The mask of feature bit {@code bit}. */
    public static long bit(int bit) {
        return 1L << bit;
    }
}
