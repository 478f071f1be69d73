package org.mirage4j.virtio.bus;

import java.lang.foreign.MemorySegment;
import org.mirage4j.api.DeviceException;

/** Where {@link PagedDmaMemory} gets its pages: each one contiguous for the device, pinned while mapped. */
interface PageSource {

    /** The size of every page. */
    long pageSize();

    /**
     * Maps one more zeroed page.
     *
     * @throws DeviceException when no page is left, saying how to reserve more
     */
    Page map() throws DeviceException;

    /** One page: its memory in the process and its address for the device. */
    interface Page {
        MemorySegment segment();

        long deviceAddress();
    }
}
