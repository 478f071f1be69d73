package org.mirage4j.virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.VirtioBus;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.mmio.MmioVirtioDevices;
import org.mirage4j.virtio.pci.PciVirtioDevices;

/** Claiming against a fake sysfs tree with one legacy virtio-net function and no virtio-mmio. */
class LinuxVirtioBusTest {

    @TempDir Path root;

    private LinuxVirtioBus bus() throws Exception {
        Path dir = Files.createDirectories(root.resolve("sys/bus/pci/devices/0000:00:03.0"));
        Files.writeString(dir.resolve("vendor"), "0x1af4\n");
        Files.writeString(dir.resolve("device"), "0x1000\n");
        Files.writeString(dir.resolve("subsystem_device"), "0x0001\n");
        Files.write(dir.resolve("config"), new byte[256]); // no capabilities: legacy
        Files.write(dir.resolve("resource0"), new byte[32]);
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("cmdline"), "console=ttyS0\n");
        return new LinuxVirtioBus(PciVirtioDevices.at(root.resolve("sys/bus/pci"), root.resolve("dev")),
                new MmioVirtioDevices(root.resolve("dev/mem"), root.resolve("cmdline"), root.resolve("sys/bus/pci/devices")),
                new PagedDmaMemory(new HugePages()));
    }

    @Test
    void aDeviceIsClaimedOnceUntilItsTransportCloses() throws Exception {
        LinuxVirtioBus bus = bus();
        VirtioTransport first = bus.claim(VirtioBus.NETWORK);
        assertThat(first.deviceType()).isEqualTo(VirtioBus.NETWORK);
        assertThatThrownBy(() -> bus.claim(VirtioBus.NETWORK)).isInstanceOf(DeviceException.class)
                .hasMessage("No virtio-net device: start the VM with run.sh --tap IFNAME.");
        first.close();
        try (VirtioTransport again = bus.claim(VirtioBus.NETWORK)) {
            assertThat(again.legacy()).isTrue();
        }
    }

    @Test
    void aMissingTypeSaysWhichRunShOptionAddsIt() throws Exception {
        assertThatThrownBy(() -> bus().claim(VirtioBus.BLOCK)).isInstanceOf(DeviceException.class)
                .hasMessage("No virtio-blk device: start the VM with run.sh --disk FILE.");
    }
}
