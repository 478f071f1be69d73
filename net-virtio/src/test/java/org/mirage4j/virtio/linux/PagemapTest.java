package org.mirage4j.virtio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PagemapTest {

    @Test
    void anEntryGivesTheFrameAndTheOffsetInThePage() {
        long entry = 1L << 63 | 1L << 62 /* swapped: not set with present, ignored */ | 0x12345;
        assertThat(Pagemap.physicalAddress(entry & ~(1L << 62), 0x7f00_0000_0abcL)).isEqualTo(0x12345L * 4096 + 0xabc);
    }

    @Test
    void flagBitsAbove54AreNotPartOfTheFrame() {
        long soleMapped = 1L << 56;
        long softDirty = 1L << 55;
        long entry = 1L << 63 | soleMapped | softDirty | 0x7_ffff_ffffL;
        assertThat(Pagemap.physicalAddress(entry, 0x1000)).isEqualTo(0x7_ffff_ffffL * 4096);
    }

    @Test
    void anAbsentPageOrAHiddenFrameIsAnError() {
        assertThatThrownBy(() -> Pagemap.physicalAddress(0x12345, 0x1000)).hasMessageContaining("not in memory");
        assertThatThrownBy(() -> Pagemap.physicalAddress(1L << 63, 0x1000)).hasMessageContaining("root");
    }

    @Test
    void theEntryOfAnAddressIsEightBytesPerPage() {
        assertThat(Pagemap.entryOffset(0)).isZero();
        assertThat(Pagemap.entryOffset(0x1fff)).isEqualTo(8);
        assertThat(Pagemap.entryOffset(0x7fff_ffff_f000L)).isEqualTo(0x7_ffff_ffffL * 8);
    }
}
