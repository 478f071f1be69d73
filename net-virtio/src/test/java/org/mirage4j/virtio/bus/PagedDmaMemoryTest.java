package org.mirage4j.virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.DmaRegion;

class PagedDmaMemoryTest {

    private static final long PAGE = 64 * 1024;

    /** Pages of ordinary memory at made-up device addresses 1 MiB apart; at most {@code limit}. */
    private static final class FakePages implements PageSource {
        final Arena arena = Arena.ofAuto();
        final int limit;
        int mapped;

        FakePages(int limit) {
            this.limit = limit;
        }

        @Override
        public long pageSize() {
            return PAGE;
        }

        @Override
        public Page map() throws DeviceException {
            if (mapped == limit) throw new DeviceException("No huge page is free.");
            long device = 0x4000_0000L + (mapped++) * 0x10_0000L;
            MemorySegment segment = arena.allocate(PAGE, PAGE);
            segment.fill((byte) 0x5a); // not zero: allocate must zero
            return new Page() {
                @Override
                public MemorySegment segment() {
                    return segment;
                }

                @Override
                public long deviceAddress() {
                    return device;
                }
            };
        }
    }

    @Test
    void regionsAreAlignedZeroedAndInsideOnePage() throws Exception {
        FakePages pages = new FakePages(Integer.MAX_VALUE);
        PagedDmaMemory memory = new PagedDmaMemory(pages);
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        List<DmaRegion> live = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            if (!live.isEmpty() && random.nextInt(3) == 0) {
                live.remove(random.nextInt(live.size())).close();
                continue;
            }
            long size = 1 + random.nextLong(PAGE / 4);
            long alignment = 1L << random.nextInt(13);
            DmaRegion region = memory.allocate(size, alignment);
            String why = "seed " + seed + ", region " + i;
            assertThat(region.segment().byteSize()).as(why).isEqualTo(size);
            assertThat(region.deviceAddress(0) % alignment).as(why).isZero();
            assertThat(region.segment().address() % alignment).as(why).isZero();
            assertThat(region.deviceAddress(0) / 0x10_0000L).as(why).isEqualTo(region.deviceAddress(size) / 0x10_0000L);
            assertThat(region.segment().elements(java.lang.foreign.ValueLayout.JAVA_BYTE).allMatch(b -> b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == 0))
                    .as(why).isTrue();
            for (DmaRegion other : live) {
                boolean apart = region.deviceAddress(size) <= other.deviceAddress(0)
                        || other.deviceAddress(other.segment().byteSize()) <= region.deviceAddress(0);
                assertThat(apart).as("%s overlaps a live region", why).isTrue();
            }
            region.segment().fill((byte) 0x77);
            live.add(region);
        }
    }

    @Test
    void aPageWhoseRegionsAreClosedIsReused() throws Exception {
        FakePages pages = new FakePages(1);
        PagedDmaMemory memory = new PagedDmaMemory(pages);
        DmaRegion a = memory.allocate(PAGE / 2, 4096);
        DmaRegion b = memory.allocate(PAGE / 2, 4096);
        assertThatThrownBy(() -> memory.allocate(1, 1)).isInstanceOf(DeviceException.class);
        a.close();
        b.close();
        b.close();
        DmaRegion c = memory.allocate(PAGE, 4096);
        assertThat(c.deviceAddress(0)).isEqualTo(0x4000_0000L);
        assertThat(pages.mapped).isEqualTo(1);
    }

    @Test
    void sizesAndAlignmentsOutsideAPageAreRefused() {
        PagedDmaMemory memory = new PagedDmaMemory(new FakePages(1));
        assertThat(memory.maxRegionSize()).isEqualTo(PAGE);
        assertThatThrownBy(() -> memory.allocate(PAGE + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.allocate(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.allocate(16, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deviceAddressesStayInTheRegion() throws Exception {
        DmaRegion region = new PagedDmaMemory(new FakePages(1)).allocate(100, 64);
        assertThat(region.deviceAddress(100) - region.deviceAddress(0)).isEqualTo(100);
        assertThatThrownBy(() -> region.deviceAddress(101)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> region.deviceAddress(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
