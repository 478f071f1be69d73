package org.mirage4j.virtio.bus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.DmaMemory;
import org.mirage4j.virtio.DmaRegion;

/**
 * {@link DmaMemory} carved out of pages that are each contiguous for the device (huge pages on
 * Linux): a region never crosses a page. Regions are taken first-fit from the pages mapped so far,
 * each page filled from its start; a page whose regions are all closed is filled afresh. Pages are
 * never given back (devices keep their rings for the life of the unikernel). Thread-safe.
 */
final class PagedDmaMemory implements DmaMemory {

    private final PageSource source;
    private final List<PageUse> pages = new ArrayList<>();

    PagedDmaMemory(PageSource source) {
        this.source = source;
    }

    @Override
    public long maxRegionSize() {
        return source.pageSize();
    }

    @Override
    public synchronized DmaRegion allocate(long size, long alignment) throws DeviceException {
        if (size <= 0 || size > source.pageSize()) {
            throw new IllegalArgumentException("a DMA region holds 1 to " + source.pageSize() + " bytes, not " + size);
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > source.pageSize()) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two up to the page size");
        }
        for (PageUse page : pages) {
            long offset = page.fit(size, alignment);
            if (offset >= 0) return page.take(offset, size);
        }
        PageUse page = new PageUse(source.map());
        pages.add(page);
        return page.take(0, size);
    }

    /** How much of one page is in use. Guarded by the memory's lock. */
    private final class PageUse {
        private final PageSource.Page page;
        private long next;
        private int live;

        PageUse(PageSource.Page page) {
            this.page = page;
        }

        /** Where a region of {@code size} would start, or -1 when it does not fit. */
        long fit(long size, long alignment) {
            long start = (next + alignment - 1) & -alignment;
            return start + size <= page.segment().byteSize() ? start : -1;
        }

        DmaRegion take(long offset, long size) {
            MemorySegment slice = page.segment().asSlice(offset, size);
            slice.fill((byte) 0); // a page being refilled holds what its earlier regions left
            next = offset + size;
            live++;
            return new Region(this, slice, page.deviceAddress() + offset);
        }

        void release() {
            synchronized (PagedDmaMemory.this) {
                if (--live == 0) next = 0;
            }
        }
    }

    private static final class Region implements DmaRegion {
        private final PageUse page;
        private final MemorySegment segment;
        private final long deviceAddress;
        private boolean closed;

        Region(PageUse page, MemorySegment segment, long deviceAddress) {
            this.page = page;
            this.segment = segment;
            this.deviceAddress = deviceAddress;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long deviceAddress(long offset) {
            if (offset < 0 || offset > segment.byteSize()) {
                throw new IndexOutOfBoundsException("offset " + offset + " outside a region of " + segment.byteSize() + " bytes");
            }
            return deviceAddress + offset;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            page.release();
        }
    }
}
