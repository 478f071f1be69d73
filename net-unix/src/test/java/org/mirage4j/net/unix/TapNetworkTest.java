package org.mirage4j.net.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;

/** What the device does before it is attached, and how Dagger wires it; needs neither root nor a tap. */
class TapNetworkTest {

    @Singleton
    @Component(modules = TapNetworkModule.class)
    interface TapComponent {
        Network network();

        @Component.Factory
        interface Factory {
            TapComponent create(@BindsInstance @Key("interface") String interfaceName,
                    @BindsInstance @Key("mac") String mac, @BindsInstance @Key("netns") String netns);
        }
    }

    @Test
    void daggerBindsTheNetworkToOneTapNetwork() {
        TapComponent component = DaggerTapNetworkTest_TapComponent.factory().create("tap9", "", "");
        assertThat(component.network()).isInstanceOf(TapNetwork.class).isSameAs(component.network());
        assertThat(component.network()).hasToString("TapNetwork[tap9]");
    }

    @Test
    void nothingWorksBeforeConnect() {
        TapNetwork tap = new TapNetwork("tap9", "", "");
        assertThatThrownBy(tap::mac).isInstanceOf(IllegalStateException.class).hasMessageContaining("not connected");
        assertThatThrownBy(tap::mtu).isInstanceOf(IllegalStateException.class).hasMessageContaining("not connected");
        assertThatThrownBy(() -> tap.write(60, buf -> buf.writeZero(60))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tap.listen(frame -> frame.release())).isInstanceOf(IllegalStateException.class);
        assertThat(tap.stats()).isEqualTo(new NetworkStats(0, 0, 0, 0, 0, 0));
        tap.disconnect(); // a no-op, and does not throw
    }

    @Test
    void aBadKeyFailsConnectWithItsMessage() {
        assertThatThrownBy(new TapNetwork("a-name-far-too-long", "", "")::connect)
                .isInstanceOf(DeviceException.class).hasMessageStartingWith("--interface='a-name-far-too-long'");
        assertThatThrownBy(new TapNetwork("tap9", "nonsense", "")::connect)
                .isInstanceOf(DeviceException.class).hasMessageStartingWith("--mac='nonsense'");
    }

    @Test
    void aMissingNamespaceIsNamed() {
        String missing = "m4j-missing-" + ProcessHandle.current().pid();
        assertThatThrownBy(new TapNetwork("tap9", "", missing)::connect)
                .isInstanceOf(DeviceException.class)
                .hasMessage("Network namespace " + missing + " does not exist: create it with `sudo ip netns add "
                        + missing + "` or leave --netns empty.");
    }
}
