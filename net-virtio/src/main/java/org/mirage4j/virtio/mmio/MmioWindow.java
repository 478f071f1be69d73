package org.mirage4j.virtio.mmio;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a virtio-mmio device's registers may be: from the kernel command line's
 * {@code virtio_mmio.device=SIZE@BASE:IRQ[:ID]} words (the form of the kernel's virtio_mmio
 * driver, which QEMU's microvm machine appends with {@code auto-kernel-cmdline=on}), or QEMU
 * microvm's default slots.
 *
 * @param base the physical address of the registers
 * @param size how many bytes they span (at least 0x100 of registers plus the device configuration)
 */
record MmioWindow(long base, long size) {

    /** QEMU microvm's first virtio-mmio transport (hw/i386/microvm.c), and the stride between them. */
    static final long MICROVM_BASE = 0xfeb0_0000L;
    static final long MICROVM_STRIDE = 512;
    /** microvm has 24 transports with its second IO-APIC (the default), 8 without. */
    static final int MICROVM_SLOTS = 24;

    private static final String PARAMETER = "virtio_mmio.device=";

    /** QEMU microvm's slots, in address order. */
    static List<MmioWindow> microvmDefaults() {
        List<MmioWindow> windows = new ArrayList<>();
        for (int i = 0; i < MICROVM_SLOTS; i++) windows.add(new MmioWindow(MICROVM_BASE + i * MICROVM_STRIDE, MICROVM_STRIDE));
        return windows;
    }

    /**
     * The devices a kernel command line describes, in the order given; malformed words are skipped
     * (the kernel ignores them too).
     */
    static List<MmioWindow> fromCommandLine(String cmdline) {
        List<MmioWindow> windows = new ArrayList<>();
        for (String word : cmdline.strip().split("\\s+")) {
            if (!word.startsWith(PARAMETER)) continue;
            String spec = word.substring(PARAMETER.length());
            int at = spec.indexOf('@');
            if (at <= 0) continue;
            int colon = spec.indexOf(':', at);
            String baseText = colon < 0 ? spec.substring(at + 1) : spec.substring(at + 1, colon);
            try {
                long size = memparse(spec.substring(0, at));
                long base = number(baseText);
                if (size > 0 && base > 0) windows.add(new MmioWindow(base, size));
            } catch (NumberFormatException e) {
                // skip it, as the kernel would
            }
        }
        return windows;
    }

    /** The kernel's memparse(): a C number (0x hex, 0 octal, decimal) with an optional K, M or G. */
    static long memparse(String text) {
        if (text.isEmpty()) throw new NumberFormatException("empty size");
        char last = Character.toUpperCase(text.charAt(text.length() - 1));
        int shift = switch (last) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        return number(shift == 0 ? text : text.substring(0, text.length() - 1)) << shift;
    }

    private static long number(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) return Long.parseUnsignedLong(text.substring(2), 16);
        if (text.length() > 1 && text.startsWith("0")) return Long.parseLong(text.substring(1), 8);
        return Long.parseLong(text);
    }
}
