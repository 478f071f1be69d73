package org.mirage4j.virtio.pci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirage4j.virtio.pci.VirtioPciLayout.Window;

class VirtioPciLayoutTest {

    @Test
    void findsTheFourWindowsOfQemusVirtioNet() {
        VirtioPciLayout layout = VirtioPciLayout.parse(FakeConfigSpace.qemuModernNet().bytes()).orElseThrow();
        assertThat(layout.common()).isEqualTo(new Window(4, 0x0000, 0x1000));
        assertThat(layout.isr()).isEqualTo(new Window(4, 0x1000, 0x1000));
        assertThat(layout.device()).contains(new Window(4, 0x2000, 0x1000));
        assertThat(layout.notification()).isEqualTo(new Window(4, 0x3000, 0x1000));
        assertThat(layout.notifyOffMultiplier()).isEqualTo(4);
    }

    @Test
    void theFirstCapabilityOfATypeWins() {
        byte[] config = new FakeConfigSpace(0x1af4, 0x1041)
                .virtio(0x40, VirtioPciLayout.COMMON_CFG, 2, 0x100, 0x38, -1)
                .virtio(0x50, VirtioPciLayout.COMMON_CFG, 4, 0x0, 0x38, -1)
                .virtio(0x60, VirtioPciLayout.NOTIFY_CFG, 2, 0x200, 0x100, 2)
                .virtio(0x80, VirtioPciLayout.ISR_CFG, 2, 0x300, 1, -1).bytes();
        VirtioPciLayout layout = VirtioPciLayout.parse(config).orElseThrow();
        assertThat(layout.common().bar()).isEqualTo(2);
        assertThat(layout.device()).isEmpty();
    }

    @Test
    void aCapabilityNamingAReservedBarIsSkipped() {
        byte[] config = new FakeConfigSpace(0x1af4, 0x1041)
                .virtio(0x40, VirtioPciLayout.COMMON_CFG, 7, 0x0, 0x38, -1)
                .virtio(0x50, VirtioPciLayout.NOTIFY_CFG, 2, 0x200, 0x100, 2)
                .virtio(0x70, VirtioPciLayout.ISR_CFG, 2, 0x300, 1, -1).bytes();
        assertThat(VirtioPciLayout.parse(config)).isEmpty();
    }

    @Test
    void aDeviceWithoutModernCapabilitiesIsLegacy() {
        assertThat(VirtioPciLayout.parse(new FakeConfigSpace(0x1af4, 0x1000).bytes())).isEmpty();
        byte[] onlyMsix = new FakeConfigSpace(0x1af4, 0x1000).capability(0x40, 0x11, new byte[10]).bytes();
        assertThat(VirtioPciLayout.parse(onlyMsix)).isEmpty();
    }

    @Test
    void aLoopInTheCapabilityListEnds() {
        byte[] config = new FakeConfigSpace(0x1af4, 0x1041)
                .virtio(0x40, VirtioPciLayout.COMMON_CFG, 4, 0x0, 0x38, -1)
                .virtio(0x50, VirtioPciLayout.ISR_CFG, 4, 0x1000, 1, -1).loopTo(0x40).bytes();
        assertThat(VirtioPciLayout.parse(config)).isEmpty();
    }

    @Test
    void aTruncatedConfigurationSpaceIsNotFollowed() {
        byte[] full = FakeConfigSpace.qemuModernNet().bytes();
        for (int length : new int[] {0, 0x3f, 0x40, 0x60, 0x90, 0x9f}) {
            Optional<VirtioPciLayout> parsed = VirtioPciLayout.parse(Arrays.copyOf(full, length));
            assertThat(parsed).as("first %d bytes", length).isEmpty();
        }
    }

    @Test
    void aShortNotifyCapabilityIsIgnored() {
        byte[] config = new FakeConfigSpace(0x1af4, 0x1041)
                .virtio(0x40, VirtioPciLayout.COMMON_CFG, 4, 0x0, 0x38, -1)
                .virtio(0x50, VirtioPciLayout.NOTIFY_CFG, 4, 0x3000, 0x100, -1) // 16 bytes: no multiplier
                .virtio(0x60, VirtioPciLayout.ISR_CFG, 4, 0x1000, 1, -1).bytes();
        assertThat(VirtioPciLayout.parse(config)).isEmpty();
    }
}
