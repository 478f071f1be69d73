package org.mirage4j.virtio.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.DmaMemory;
import org.mirage4j.virtio.DmaRegion;

/**
 * {@link DmaMemory} in ordinary memory: each region is a segment of its own arena, known to the
 * device by a made-up address (distinct from the process address, so a driver that hands the
 * device a process address is caught). The software device reaches memory only through
 * {@link #translate}, which refuses addresses outside live regions.
 *
 * <p>Threads: safe for concurrent use.
 */
public final class SoftwareDmaMemory implements DmaMemory {

    /** Where the made-up device addresses start. */
    private static final long BASE = 0x7_0000_0000L;

    private final long maxRegionSize;
    private final TreeMap<Long, MemorySegment> regions = new TreeMap<>();
    private long next = BASE;
    private int live;

    /** Memory whose regions are at most {@code maxRegionSize} bytes (2 MiB, like a huge page, by default). */
    public SoftwareDmaMemory(long maxRegionSize) {
        this.maxRegionSize = maxRegionSize;
    }

    /** Memory of regions up to 2 MiB. */
    public SoftwareDmaMemory() {
        this(2 << 20);
    }

    @Override
    public long maxRegionSize() {
        return maxRegionSize;
    }

    @Override
    public synchronized DmaRegion allocate(long size, long alignment) throws DeviceException {
        if (size > maxRegionSize) throw new IllegalArgumentException("A region of " + size + " bytes exceeds " + maxRegionSize + ".");
        Arena arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(Math.max(1, size), Math.max(alignment, 8));
        long address = (next + alignment - 1) & -alignment;
        next = address + ((size + 4095) & -4096) + 4096; // a gap between regions catches overruns
        regions.put(address, segment);
        live++;
        return new Region(arena, segment, address);
    }

    /** Regions allocated and not closed; for tests that check a driver frees its memory. */
    public synchronized int liveRegions() {
        return live;
    }

    /**
     * The memory of {@code length} bytes at device address {@code address}.
     *
     * @throws IllegalArgumentException when the range is not inside one live region (a DMA fault)
     */
    public synchronized MemorySegment translate(long address, long length) {
        Map.Entry<Long, MemorySegment> e = regions.floorEntry(address);
        if (e == null || length < 0 || address - e.getKey() + length > e.getValue().byteSize()) {
            throw new IllegalArgumentException("DMA fault: " + length + " bytes at device address 0x" + Long.toHexString(address)
                    + " are not inside a live region");
        }
        return e.getValue().asSlice(address - e.getKey(), length);
    }

    private synchronized void free(long address) {
        if (regions.remove(address) != null) live--;
    }

    private final class Region implements DmaRegion {
        private final Arena arena;
        private final MemorySegment segment;
        private final long address;
        private boolean closed;

        Region(Arena arena, MemorySegment segment, long address) {
            this.arena = arena;
            this.segment = segment;
            this.address = address;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long deviceAddress(long offset) {
            return address + offset;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            free(address);
            arena.close();
        }
    }
}
