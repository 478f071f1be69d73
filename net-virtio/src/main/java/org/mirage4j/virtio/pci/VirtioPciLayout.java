package org.mirage4j.virtio.pci;

import java.util.Optional;

/**
 * Where a modern virtio PCI device keeps its registers, from the vendor-specific capabilities in its
 * PCI configuration space (VIRTIO 1.2 §4.1.4):
 *
 * <pre>
 *  byte 0      1         2        3         4    5..7     8..11    12..15   16..19
 *  +---------+---------+--------+---------+----+--------+--------+--------+---------------------+
 *  | cap_vndr| cap_next| cap_len|cfg_type | bar| padding| offset | length | notify_off_multiplier|
 *  | = 0x09  |         |        | 1..5    |    |        | le32   | le32   | (notify cap only)    |
 *  +---------+---------+--------+---------+----+--------+--------+--------+---------------------+
 * </pre>
 *
 * A device without the common, notify and ISR capabilities is legacy-only (§4.1.4.8). The first
 * capability of each type is used, as §4.1.4 recommends for a driver that knows of no better one.
 *
 * @param common the common configuration (§4.1.4.3)
 * @param notification the notification area (§4.1.4.4)
 * @param notifyOffMultiplier bytes between the notification addresses of two successive {@code queue_notify_off}s
 * @param isr the ISR status byte (§4.1.4.5)
 * @param device the device-specific configuration (§4.1.4.6), absent for devices without one
 */
record VirtioPciLayout(Window common, Window notification, long notifyOffMultiplier, Window isr, Optional<Window> device) {

    /** A window of one BAR. */
    record Window(int bar, long offset, long length) {}

    static final int COMMON_CFG = 1;
    static final int NOTIFY_CFG = 2;
    static final int ISR_CFG = 3;
    static final int DEVICE_CFG = 4;

    private static final int STATUS = 0x06;
    private static final int STATUS_CAPABILITIES_LIST = 0x10;
    private static final int CAPABILITIES_POINTER = 0x34;
    private static final int VENDOR_SPECIFIC = 0x09;
    /** The capabilities live after the 64-byte standard header, in the first 256 bytes. */
    private static final int FIRST_CAPABILITY = 0x40;
    private static final int MAX_CAPABILITIES = 48; // (256 - 64) / 4: a longer walk is a loop

    /**
     * Parses a PCI configuration space (at least its first 64 bytes; 256 to see capabilities).
     *
     * @return the layout, or empty when the device has no modern virtio capabilities (a malformed
     *     capability list counts as none)
     */
    static Optional<VirtioPciLayout> parse(byte[] config) {
        if (config.length < FIRST_CAPABILITY || (u16(config, STATUS) & STATUS_CAPABILITIES_LIST) == 0) return Optional.empty();
        Window common = null;
        Window notify = null;
        Window isr = null;
        Window device = null;
        long multiplier = 0;
        int at = u8(config, CAPABILITIES_POINTER) & ~3;
        for (int n = 0; at >= FIRST_CAPABILITY && n < MAX_CAPABILITIES; n++) {
            if (at + 2 > config.length) return Optional.empty();
            int next = u8(config, at + 1) & ~3;
            if (u8(config, at) == VENDOR_SPECIFIC && at + 16 <= config.length && u8(config, at + 2) >= 16) {
                int type = u8(config, at + 3);
                int bar = u8(config, at + 4);
                Window window = new Window(bar, u32(config, at + 8), u32(config, at + 12));
                if (bar <= 5) { // bars 0x6-0xff are reserved; skip such a capability (§4.1.4)
                    switch (type) {
                        case COMMON_CFG -> common = common == null ? window : common;
                        case NOTIFY_CFG -> {
                            if (notify == null && u8(config, at + 2) >= 20 && at + 20 <= config.length) {
                                notify = window;
                                multiplier = u32(config, at + 16);
                            }
                        }
                        case ISR_CFG -> isr = isr == null ? window : isr;
                        case DEVICE_CFG -> device = device == null ? window : device;
                        default -> { } // PCI configuration access (5), shared memory (8), vendor data (9)
                    }
                }
            }
            at = next;
        }
        if (common == null || notify == null || isr == null) return Optional.empty();
        return Optional.of(new VirtioPciLayout(common, notify, multiplier, isr, Optional.ofNullable(device)));
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    private static int u16(byte[] b, int at) {
        return u8(b, at) | u8(b, at + 1) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffff_ffffL;
    }
}
