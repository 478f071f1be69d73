package org.mirage4j.virtio;

import org.mirage4j.api.DeviceException;

/**
 * Memory a device can reach by DMA: on Linux, pinned huge pages whose physical addresses come from
 * {@code /proc/self/pagemap}; in tests, ordinary memory the software device reads through the same
 * addresses.
 */
public interface DmaMemory {

    /**
     * The largest region {@link #allocate} returns: one region is always contiguous for the device
     * (on Linux, the size of one huge page).
     */
    long maxRegionSize();

    /**
     * Allocates a zeroed region of {@code size} bytes aligned to {@code alignment} (a power of two),
     * both in the process and for the device. The region stays valid until {@link DmaRegion#close()}.
     *
     * @throws IllegalArgumentException when {@code size} exceeds {@link #maxRegionSize()}
     * @throws DeviceException when the memory is exhausted, saying how to reserve more (for example
     *     more huge pages)
     */
    DmaRegion allocate(long size, long alignment) throws DeviceException;
}
