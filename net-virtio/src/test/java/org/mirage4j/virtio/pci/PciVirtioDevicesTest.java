package org.mirage4j.virtio.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.virtio.VirtioTransport;

/** Discovery, binding and both transports against a fake sysfs tree whose attribute files are regular files. */
class PciVirtioDevicesTest {

    @TempDir Path root;

    @Test
    void findsVirtioFunctionsByModernIdOrTransitionalSubsystemId() throws Exception {
        FakeSysfs sysfs = new FakeSysfs(root);
        byte[] config = new FakeConfigSpace(0x1af4, 0x1000).bytes();
        sysfs.function("0000:00:05.0", 0x1af4, 0x1042, 0x1100, config, null); // modern block
        sysfs.function("0000:00:03.0", 0x1af4, 0x1000, 0x0001, config, null); // transitional net
        sysfs.function("0000:00:04.0", 0x8086, 0x100e, 0x0001, config, null); // an e1000
        sysfs.function("0000:00:06.0", 0x1af4, 0x1110, 0x0001, config, null); // ivshmem, not virtio
        assertThat(PciVirtioDevices.at(sysfs.bus, sysfs.dev).find()).containsExactly(
                new PciVirtioDevices.Found("0000:00:03.0", 1), new PciVirtioDevices.Found("0000:00:05.0", 2));
    }

    @Test
    void noPciBusMeansNoDevices() throws Exception {
        assertThat(PciVirtioDevices.at(root.resolve("nothing"), root).find()).isEmpty();
    }

    @Test
    void opensAModernDeviceThroughItsBarAndUio() throws Exception {
        FakeSysfs sysfs = new FakeSysfs(root).withUioDriver();
        Path dir = sysfs.function("0000:00:03.0", 0x1af4, 0x1000, 1, FakeConfigSpace.qemuModernNet().bytes(), "uio0");
        Path bar = FakeSysfs.bar(dir, 4, 0x4000);
        FakeSysfs.write(bar, ModernPciTransport.NUM_QUEUES, 2, 3);
        FakeSysfs.write(bar, ModernPciTransport.QUEUE_SIZE, 2, 256);
        FakeSysfs.write(bar, ModernPciTransport.QUEUE_NOTIFY_OFF, 2, 2);
        FakeSysfs.write(bar, 0x2000, 4, 0x5634_1252); // the MAC's first bytes in the device configuration
        AtomicInteger released = new AtomicInteger();

        try (VirtioTransport transport = PciVirtioDevices.at(sysfs.bus, sysfs.dev).open("0000:00:03.0", released::incrementAndGet)) {
            assertThat(Files.readString(dir.resolve("driver_override"))).isEqualTo(UioBinding.DRIVER);
            assertThat(Files.readString(sysfs.bus.resolve("drivers/uio_pci_generic/bind"))).isEqualTo("0000:00:03.0");
            assertThat(FakeSysfs.read(dir.resolve("config"), PciCommand.OFFSET, 2) & PciCommand.BUS_MASTER).isNotZero();
            assertThat(transport.deviceType()).isEqualTo(1);
            assertThat(transport.legacy()).isFalse();
            assertThat(transport.hasInterrupts()).isTrue();
            assertThat(transport.readConfig(0, 1)).isEqualTo(0x52);
            assertThat(transport.readConfig(0, 4)).isEqualTo(0x5634_1252);

            transport.driverFeatures(0x1_0000_0020L);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.DRIVER_FEATURE_SELECT, 4)).isEqualTo(1);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.DRIVER_FEATURE, 4)).isEqualTo(1); // the high half, last

            assertThat(transport.queueMaxSize(1)).isEqualTo(256);
            assertThat(transport.queueMaxSize(3)).isZero();
            transport.enableQueue(1, 128, 0x1_2345_6000L, 0x7000, 0x8000);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.QUEUE_SELECT, 2)).isEqualTo(1);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.QUEUE_SIZE, 2)).isEqualTo(128);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.QUEUE_DESC, 8)).isEqualTo(0x1_2345_6000L);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.QUEUE_DRIVER, 8)).isEqualTo(0x7000);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.QUEUE_DEVICE, 8)).isEqualTo(0x8000);
            assertThat(FakeSysfs.read(bar, ModernPciTransport.QUEUE_ENABLE, 2)).isEqualTo(1);

            transport.notifyQueue(1); // queue_notify_off 2 times the multiplier 4, in the notify window at 0x3000
            assertThat(FakeSysfs.read(bar, 0x3000 + 8, 2)).isEqualTo(1);

            transport.status(7);
            assertThat(transport.status()).isEqualTo(7);
            // a regular file always polls readable: the wait returns at once, acknowledging through the ISR
            assertThat(transport.awaitInterrupt(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(released).hasValue(1);
        assertThat(FakeSysfs.read(bar, ModernPciTransport.DEVICE_STATUS, 1)).as("reset on close").isZero();
    }

    @Test
    void opensALegacyDeviceThroughItsIoBarAndPollsWithoutUio() throws Exception {
        FakeSysfs sysfs = new FakeSysfs(root);
        Path dir = sysfs.function("0000:00:03.0", 0x1af4, 0x1001, 2, new FakeConfigSpace(0x1af4, 0x1001).bytes(), null);
        Path io = FakeSysfs.bar(dir, 0, 0x40);
        FakeSysfs.write(io, LegacyPciTransport.HOST_FEATURES, 4, 0x7000_0044);
        FakeSysfs.write(io, LegacyPciTransport.QUEUE_SIZE, 2, 128);
        FakeSysfs.write(io, LegacyPciTransport.DEVICE_CONFIG, 4, 0x20_0000); // capacity in sectors

        try (VirtioTransport transport = PciVirtioDevices.at(sysfs.bus, sysfs.dev).open("0000:00:03.0", () -> {})) {
            assertThat(FakeSysfs.read(dir.resolve("config"), PciCommand.OFFSET, 2) & PciCommand.IO_SPACE).isNotZero();
            assertThat(transport.legacy()).isTrue();
            assertThat(transport.deviceType()).isEqualTo(2);
            assertThat(transport.hasInterrupts()).isFalse();
            assertThat(transport.deviceFeatures()).isEqualTo(0x7000_0044L);
            assertThat(transport.readConfig(0, 4)).isEqualTo(0x20_0000);
            assertThat(transport.queueMaxSize(0)).isEqualTo(128);
            assertThatThrownBy(() -> transport.enableQueue(0, 64, 0x10000, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> transport.enableQueue(0, 128, 0x10010, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            transport.enableQueue(0, 128, 0x12_3000L, 0, 0);
            assertThat(FakeSysfs.read(io, LegacyPciTransport.QUEUE_ADDRESS, 4)).isEqualTo(0x123);
            transport.notifyQueue(0);
            assertThat(FakeSysfs.read(io, LegacyPciTransport.QUEUE_NOTIFY, 2)).isZero();
            assertThatThrownBy(() -> transport.readConfig(0x2c, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(transport.awaitInterrupt(Duration.ofMillis(1))).isFalse();
        }
    }

    @Test
    void aFunctionBoundToAnotherDriverIsUnboundFirst() throws Exception {
        FakeSysfs sysfs = new FakeSysfs(root).withUioDriver();
        Path dir = sysfs.function("0000:00:03.0", 0x1af4, 0x1000, 1, new FakeConfigSpace(0x1af4, 0x1000).bytes(), "uio0");
        Path other = Files.createDirectories(sysfs.bus.resolve("drivers/virtio-pci"));
        Files.writeString(other.resolve("unbind"), "");
        Files.createSymbolicLink(dir.resolve("driver"), other);
        UioBinding binding = new UioBinding(sysfs.bus, sysfs.dev);

        assertThat(binding.bind(PciFunction.discover(binding.devices()).getFirst())).contains(sysfs.dev.resolve("uio0"));
        assertThat(Files.readString(other.resolve("unbind"))).isEqualTo("0000:00:03.0");
        assertThat(Files.readString(dir.resolve("driver_override"))).isEqualTo(UioBinding.DRIVER);
    }

    @Test
    void aCapabilityPointingPastItsBarIsRefused() throws Exception {
        FakeSysfs sysfs = new FakeSysfs(root).withUioDriver();
        Path dir = sysfs.function("0000:00:03.0", 0x1af4, 0x1041, 1, FakeConfigSpace.qemuModernNet().bytes(), null);
        FakeSysfs.bar(dir, 4, 0x2000); // the notify window at 0x3000 lies outside
        AtomicInteger released = new AtomicInteger();
        assertThatThrownBy(() -> PciVirtioDevices.at(sysfs.bus, sysfs.dev).open("0000:00:03.0", released::incrementAndGet))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("past the end of BAR 4");
        assertThat(released).hasValue(1);
    }
}
