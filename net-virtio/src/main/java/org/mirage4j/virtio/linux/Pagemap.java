package org.mirage4j.virtio.linux;

import java.nio.file.Path;

/**
 * Physical addresses of this process's memory, from {@code /proc/self/pagemap}: one 64-bit entry
 * per 4 KiB virtual page, bit 63 "present", bits 0-54 the page frame number (the kernel's
 * Documentation/admin-guide/mm/pagemap.rst). The frame numbers read as 0 without CAP_SYS_ADMIN.
 */
public final class Pagemap {

    /** The base page size the entries count in (x86-64). */
    static final long PAGE_SIZE = 4096;
    private static final long PRESENT = 1L << 63;
    private static final long PFN_MASK = (1L << 55) - 1;

    private Pagemap() {}

    /**
     * The physical address of the mapped byte at {@code virtualAddress}.
     *
     * @throws ErrnoException when the pagemap cannot be read
     * @throws IllegalStateException when the page is not present or the kernel hides frame numbers
     */
    public static long physicalAddress(long virtualAddress) throws ErrnoException {
        try (NativeFile pagemap = NativeFile.openReadOnly(Path.of("/proc/self/pagemap"))) {
            long entry = pagemap.read(entryOffset(virtualAddress), 8);
            return physicalAddress(entry, virtualAddress);
        }
    }

    /** Where the entry of {@code virtualAddress} is in the pagemap file. */
    static long entryOffset(long virtualAddress) {
        return Long.divideUnsigned(virtualAddress, PAGE_SIZE) * 8;
    }

    /**
     * Decodes a pagemap {@code entry} for {@code virtualAddress}: the frame's address plus the offset
     * in the page.
     *
     * @throws IllegalStateException when the page is not present or its frame number reads as 0
     */
    static long physicalAddress(long entry, long virtualAddress) {
        if ((entry & PRESENT) == 0) {
            throw new IllegalStateException("the page at 0x" + Long.toHexString(virtualAddress) + " is not in memory");
        }
        long frame = entry & PFN_MASK;
        if (frame == 0) {
            throw new IllegalStateException("/proc/self/pagemap hides physical addresses: run as root (CAP_SYS_ADMIN)");
        }
        return frame * PAGE_SIZE + (virtualAddress & (PAGE_SIZE - 1));
    }
}
