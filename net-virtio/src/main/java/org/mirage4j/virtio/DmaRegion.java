package org.mirage4j.virtio;

import java.lang.foreign.MemorySegment;

/** A region of {@link DmaMemory}: contiguous in the process and for the device. */
public interface DmaRegion extends AutoCloseable {

    /** The region as the process sees it; invalid after {@link #close()}. */
    MemorySegment segment();

    /** The address the device uses for byte {@code offset} of {@link #segment()}. */
    long deviceAddress(long offset);

    /** Returns the region to its memory; the device must no longer use it. */
    @Override
    void close();
}
