package org.mirage4j.tcpip.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.Key;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.StackV4V6;

/** Dagger wires the socket stack from its module and the {@code ipv4} key, as the generated unix wiring does. */
class SocketStackModuleTest {

    @Singleton
    @Component(modules = SocketStackModule.class)
    interface UnixNetwork {
        StackV4V6 stack();

        @Component.Factory
        interface Factory {
            UnixNetwork create(@BindsInstance @Key("ipv4") Ipv4Prefix ipv4);
        }
    }

    @Test
    void bindsOneSocketStackServingOnTheKeysAddress() {
        UnixNetwork network = DaggerSocketStackModuleTest_UnixNetwork.factory().create(Ipv4Prefix.parse("127.0.0.1/8"));

        assertThat(network.stack()).isInstanceOf(SocketStack.class).isSameAs(network.stack());
        assertThat(network.stack().addresses()).containsExactly(Ipv4Address.LOCALHOST);
    }
}
