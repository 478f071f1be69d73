package org.mirage4j.console.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dagger.Component;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.Console;
import org.mirage4j.console.SerialConsoleModule;
import org.mirage4j.console.StdoutConsoleModule;

/** The public modules wire the package-private consoles into a component of another package, once each. */
class ConsoleModulesTest {

    @Singleton
    @Component(modules = StdoutConsoleModule.class)
    interface UnixComponent {
        Console console();
    }

    @Singleton
    @Component(modules = SerialConsoleModule.class)
    interface KvmComponent {
        Console console();
    }

    @Test
    void theUnixTargetGetsOneStdoutConsole() {
        UnixComponent component = DaggerConsoleModulesTest_UnixComponent.create();

        assertThat(component.console().getClass().getName()).isEqualTo("org.mirage4j.console.StdoutConsole");
        assertThat(component.console()).isSameAs(component.console());
    }

    @Test
    void theKvmTargetGetsOneSerialConsole() {
        KvmComponent component = DaggerConsoleModulesTest_KvmComponent.create();

        assertThat(component.console().getClass().getName()).isEqualTo("org.mirage4j.console.SerialConsole");
        assertThat(component.console()).isSameAs(component.console());
    }
}
