package org.mirage4j.virtio.mmio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MmioWindowTest {

    @Test
    void readsTheDevicesQemusMicrovmAppends() {
        String cmdline = "console=ttyS0 quiet rdinit=/jre/bin/java -- -Xmx64m Main"
                + " virtio_mmio.device=512@0xfeb00e00:12 virtio_mmio.device=512@0xfeb00c00:11\n";
        assertThat(MmioWindow.fromCommandLine(cmdline)).containsExactly(
                new MmioWindow(0xfeb0_0e00L, 512), new MmioWindow(0xfeb0_0c00L, 512));
    }

    @Test
    void sizesTakeSuffixesAndBasesAnyRadix() {
        assertThat(MmioWindow.fromCommandLine("virtio_mmio.device=4K@0x10000000:5:3 virtio_mmio.device=0x200@268435456"))
                .containsExactly(new MmioWindow(0x1000_0000L, 4096), new MmioWindow(0x1000_0000L, 512));
        assertThat(MmioWindow.memparse("1M")).isEqualTo(1 << 20);
        assertThat(MmioWindow.memparse("010")).isEqualTo(8);
    }

    @Test
    void malformedWordsAreSkipped() {
        assertThat(MmioWindow.fromCommandLine("virtio_mmio.device=512 virtio_mmio.device=@0x1000:5 virtio_mmio.device=x@0x1000"
                + " virtio_mmio.device=512@zz:5 virtio_mmio.device=0@0x1000")).isEmpty();
    }

    @Test
    void microvmHasTwentyFourSlotsOf512Bytes() {
        assertThat(MmioWindow.microvmDefaults()).hasSize(24).first().isEqualTo(new MmioWindow(0xfeb0_0000L, 512));
        assertThat(MmioWindow.microvmDefaults().getLast().base()).isEqualTo(0xfeb0_0000L + 23 * 512);
    }
}
