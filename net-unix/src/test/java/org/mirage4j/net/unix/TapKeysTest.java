package org.mirage4j.net.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class TapKeysTest {

    @Test
    void acceptsUsualValues() throws DeviceException {
        TapKeys keys = TapKeys.parse("tap0", "02:00:00:00:00:02", "", new SplittableRandom(1));
        assertThat(keys).isEqualTo(new TapKeys("tap0", MacAddress.parse("02:00:00:00:00:02"), ""));
        assertThat(TapKeys.parse("tap-lab_1.x", "", "m4j-12-3-abcd", new SplittableRandom(1)).netns())
                .isEqualTo("m4j-12-3-abcd");
        assertThat(TapKeys.parse("a23456789012345", "", "", new SplittableRandom(1)).interfaceName())
                .isEqualTo("a23456789012345");
    }

    @Test
    void refusesInterfaceNamesLinuxWouldRefuse() {
        for (String name : new String[] {"", "a234567890123456", "tap/0", "tap 0", "tap:0", ".", "..", "täp0"}) {
            assertThatThrownBy(() -> TapKeys.parse(name, "", "", new SplittableRandom(1)))
                    .isInstanceOf(DeviceException.class)
                    .hasMessage("--interface='" + name + "' is not a valid interface name:"
                            + " use 1 to 15 letters, digits, '-', '_' or '.', such as tap0.");
        }
    }

    @Test
    void refusesNamespaceNamesThatAreNotAName() {
        for (String netns : new String[] {"../etc", "a/b", "..", "x y"}) {
            assertThatThrownBy(() -> TapKeys.parse("tap0", "", netns, new SplittableRandom(1)))
                    .isInstanceOf(DeviceException.class)
                    .hasMessageStartingWith("--netns='" + netns + "' is not a valid network namespace name");
        }
    }

    @Test
    void refusesMacAddressesTheStackCannotOwn() {
        assertThatThrownBy(() -> TapKeys.parse("tap0", "02:00:00:00:02", "", new SplittableRandom(1)))
                .isInstanceOf(DeviceException.class)
                .hasMessage("--mac='02:00:00:00:02' is not a MAC address such as 02:00:00:00:00:02.");
        for (String group : new String[] {"01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"}) {
            assertThatThrownBy(() -> TapKeys.parse("tap0", group, "", new SplittableRandom(1)))
                    .isInstanceOf(DeviceException.class)
                    .hasMessage("--mac=" + group + " cannot be the stack's own address:"
                            + " give a unicast one such as 02:00:00:00:00:02, or leave it empty for a random one.");
        }
    }

    @Property
    void anEmptyMacIsARandomLocallyAdministeredUnicastAddress(Gen gen) throws DeviceException {
        MacAddress mac = TapKeys.parse("tap0", "", "", gen.random()).mac();
        assertThat(mac.isLocallyAdministered()).isTrue();
        assertThat(mac.isMulticast()).isFalse();
    }

    @Test
    void randomMacsDiffer() {
        SplittableRandom random = new SplittableRandom(7);
        assertThat(TapKeys.randomMac(random)).isNotEqualTo(TapKeys.randomMac(random));
    }

    @Test
    void declaresItsKeysWithDefaults() {
        assertThat(TapNetwork.keys()).extracting(RuntimeKey::name).containsExactly("interface", "mac", "netns");
        assertThat(TapKeys.INTERFACE.defaultText()).contains("tap0");
        assertThat(TapKeys.MAC.defaultText()).contains("");
        assertThat(TapKeys.NETNS.doc()).isEqualTo("network namespace whose tap to attach to (tests)");
        assertThat(TapKeys.INTERFACE.doc()).isEqualTo("tap interface to attach to (created if missing)");
    }
}
