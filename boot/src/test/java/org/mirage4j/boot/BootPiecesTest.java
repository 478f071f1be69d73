package org.mirage4j.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootPiecesTest {

    @Test
    void loadOrderListsFileNamesSkippingCommentsAndBlankLines() {
        String order = "# loaded in this order\nuio.ko\n\n  uio_pci_generic.ko  \n#virtio.ko\n";
        assertThat(KernelModules.names(order)).containsExactly("uio.ko", "uio_pci_generic.ko");
    }

    @Test
    void hugetlbfsIsFoundInProcFilesystems() {
        String with = "nodev\tsysfs\nnodev\ttmpfs\nnodev\thugetlbfs\n\text4\n";
        String without = "nodev\tsysfs\nnodev\thugetlbfsx\n\text4\n";
        assertThat(FileSystems.kernelHas(with, "hugetlbfs")).isTrue();
        assertThat(FileSystems.kernelHas(without, "hugetlbfs")).isFalse();
        assertThat(FileSystems.kernelHas(with, "ext4")).isTrue();
    }

    @Test
    void procIsMountedFirst() {
        assertThat(List.of(Mount.PROC, Mount.SYS, Mount.DEV).getFirst().type()).isEqualTo("proc");
        assertThat(Mount.HUGEPAGES.target()).startsWith(Mount.DEV.target() + "/");
    }

    @Test
    void theStatusLineIsTheStatusInDecimalCutToAByte() {
        assertThat(new String(PowerOff.statusLine(0), StandardCharsets.US_ASCII)).isEqualTo("0\n");
        assertThat(new String(PowerOff.statusLine(3), StandardCharsets.US_ASCII)).isEqualTo("3\n");
        assertThat(new String(PowerOff.statusLine(255), StandardCharsets.US_ASCII)).isEqualTo("255\n");
        assertThat(new String(PowerOff.statusLine(256), StandardCharsets.US_ASCII)).isEqualTo("0\n");
        assertThat(new String(PowerOff.statusLine(-1), StandardCharsets.US_ASCII)).isEqualTo("255\n");
    }

    @Test
    void outsideTheVmInitReturnsTheArguments() {
        assertThat(Boot.isInit()).isFalse();
        assertThat(Boot.init(new String[] {"--a=1", "--b"})).containsExactly("--a=1", "--b");
    }
}
