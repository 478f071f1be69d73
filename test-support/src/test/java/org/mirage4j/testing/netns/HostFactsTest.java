package org.mirage4j.testing.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostFactsTest {

    private static final long ROOT = 0x1ff_ffff_ffffL;
    private static final long NET_ADMIN_ONLY = 1L << HostFacts.CAP_NET_ADMIN;

    @Test
    void readsTheEffectiveCapabilitiesOfAStatusFile() {
        List<String> status = List.of("Name:\tjava", "CapInh:\t0000000000000000", "CapPrm:\t000001ffffffffff",
                "CapEff:\t000001ffffffffff", "CapBnd:\t000001ffffffffff");
        assertThat(HostFacts.parseEffectiveCapabilities(status)).isEqualTo(ROOT);
        assertThat(HostFacts.parseEffectiveCapabilities(List.of("CapEff:\t0000000000000000"))).isZero();
        assertThat(HostFacts.parseEffectiveCapabilities(List.of("Name:\tjava"))).isZero();
        assertThat(HostFacts.parseEffectiveCapabilities(List.of("CapEff:\tnot-hex"))).isZero();
    }

    @Test
    void nothingIsMissingForRootWithIpAndTun() {
        assertThat(new HostFacts(ROOT, true, true).missing()).isEmpty();
    }

    @Test
    void namesEachMissingRequirement() {
        assertThat(new HostFacts(NET_ADMIN_ONLY, true, true).missing()).get().asString()
                .contains("needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)");
        assertThat(new HostFacts(ROOT, false, true).missing()).get().asString()
                .isEqualTo("needs the ip command (install the Debian package iproute2)");
        assertThat(new HostFacts(ROOT, true, false).missing()).get().asString()
                .contains("/dev/net/tun").contains("sudo modprobe tun");
        assertThat(new HostFacts(0, false, false).missing()).get().asString()
                .contains("root").contains("iproute2").contains("modprobe tun");
    }

    @Test
    void probeReadsThisProcess() {
        HostFacts facts = HostFacts.probe();
        long fromProc = HostFacts.readEffectiveCapabilities(java.nio.file.Path.of("/proc/self/status"));
        assertThat(facts.effectiveCapabilities()).isEqualTo(fromProc);
        assertThat(facts.hasTun()).isEqualTo(java.nio.file.Files.exists(java.nio.file.Path.of("/dev/net/tun")));
    }
}
