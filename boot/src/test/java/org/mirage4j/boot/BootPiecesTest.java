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

    @Test
    void theConsoleSignalsOnlyQuitWhichMakesTheJvmPrintItsThreads() {
        byte[] linuxDefault = new byte[36]; // n_tty's defaults: ISIG|ICANON|ECHO..., INTR ^C, QUIT ^\, SUSP ^Z
        linuxDefault[12] = 0x3b;
        linuxDefault[13] = (byte) 0x8a;
        linuxDefault[17] = 0x03;
        linuxDefault[18] = 0x1c;
        linuxDefault[27] = 0x1a;
        linuxDefault[20] = 0x7f; // ERASE, which stays
        byte[] noSignals = linuxDefault.clone();
        noSignals[12] = 0x3a; // ISIG off
        noSignals[18] = 0;

        for (byte[] before : List.of(linuxDefault, noSignals)) {
            byte[] after = ConsoleTerminal.quitOnly(before);
            assertThat(after[12] & 0x1).as("ISIG").isEqualTo(1);
            assertThat(after[13]).isEqualTo((byte) 0x8a);
            assertThat(after[17 + 1]).as("VQUIT").isEqualTo(ConsoleTerminal.CTRL_BACKSLASH);
            assertThat(after[17]).as("VINTR off").isZero();
            assertThat(after[17 + 10]).as("VSUSP off").isZero();
            assertThat(after[20]).as("VERASE").isEqualTo((byte) 0x7f);
        }
        assertThat(linuxDefault[17]).as("the argument is not changed").isEqualTo((byte) 0x03);
    }
}
