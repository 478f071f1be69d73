package org.mirage4j.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.testing.Misbehaviour;
import org.mirage4j.virtio.testing.SoftwareDmaMemory;
import org.mirage4j.virtio.testing.SoftwareNetDevice;

/** Initialisation and feature negotiation (VIRTIO 1.2 §3.1.1) against software devices. */
class VirtioDeviceTest {

    private static final long MAC = Features.bit(5);
    private final SoftwareDmaMemory memory = new SoftwareDmaMemory();

    @Test
    void aModernDeviceGetsVersion1AndOnlyTheWantedFeaturesItOffers() throws Exception {
        SoftwareNetDevice net = SoftwareNetDevice.modern(memory);
        long wanted = MAC | Features.bit(3) | Features.bit(Features.RING_EVENT_IDX);

        VirtioDevice device = VirtioDevice.initialize("virtio-net", net, wanted);

        assertThat(device.features()).isEqualTo(MAC | Features.bit(Features.RING_EVENT_IDX) | Features.bit(Features.VERSION_1));
        assertThat(net.acceptedFeatures()).isEqualTo(device.features());
        assertThat(net.status()).isEqualTo(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        device.ready();
        assertThat(net.status() & DeviceStatus.DRIVER_OK).isNotZero();
        device.close();
        assertThat(net.status()).isZero();
    }

    @Test
    void aLegacyDeviceGetsNoFeaturesOkStepAndNoHighBits() throws Exception {
        SoftwareNetDevice net = SoftwareNetDevice.legacy(memory);

        VirtioDevice device = VirtioDevice.initialize("virtio-net", net, MAC | Features.bit(Features.VERSION_1));

        assertThat(device.features()).isEqualTo(MAC);
        assertThat(net.status() & DeviceStatus.FEATURES_OK).isZero();
        device.ready();
        assertThat(net.status()).isEqualTo(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.DRIVER_OK);
        device.close();
    }

    @Test
    void aDeviceThatRefusesFeaturesOkFailsWithOneSentence() {
        SoftwareNetDevice net = SoftwareNetDevice.modern(memory);
        net.misbehave(Misbehaviour.REFUSE_FEATURES, 1);

        assertThatThrownBy(() -> VirtioDevice.initialize("virtio-net", net, MAC))
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("The virtio-net device refused the features 0x100000020")
                .hasMessageEndingWith(".")
                .satisfies(e -> assertThat(e.getMessage().split("\\. ")).hasSize(1));
        assertThat(net.status() & DeviceStatus.FAILED).isNotZero();
        assertThat(net.status() & DeviceStatus.FEATURES_OK).isZero();
    }

    @Test
    void aDeviceAskingForResetFailsTheDriverOnce() throws Exception {
        SoftwareNetDevice net = SoftwareNetDevice.modern(memory);
        VirtioDevice device = VirtioDevice.initialize("virtio-net", net, MAC);
        device.ready();
        assertThat(device.checkHealth()).isNull();

        net.requestReset();

        assertThat(device.checkHealth()).contains("DEVICE_NEEDS_RESET");
        assertThat(net.status() & DeviceStatus.FAILED).isNotZero();
        device.fail("something else");
        assertThat(device.deviceFailed()).contains("DEVICE_NEEDS_RESET");
        device.close();
    }

    @Test
    void configurationReadsAreLittleEndian() throws Exception {
        SoftwareNetDevice net = new SoftwareNetDevice(memory, false, 256, null, 9000, true, false);
        VirtioDevice device = VirtioDevice.initialize("virtio-net", net, Features.bit(3));
        assertThat(device.readConfig16(10)).isEqualTo(9000);
        assertThat(device.readConfig(6, 2)).containsExactly(1, 0);
        device.close();
    }
}
