package org.mirage4j.config.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.config.ConfigException;
import org.mirage4j.config.Target;
import org.mirage4j.config.Unikernel;

/**
 * A Config.java that does not match its job fails the build with one sentence naming the job, the
 * parameter and the fix. Each case is a real application compiled and evaluated as the plugin does.
 */
class ConfigCheckTest {

    @TempDir Path dir;

    private TestApp app(String configBody, String dispatchConstructor) {
        return new TestApp(dir)
                .java("FakeConsole", TestApp.FAKE_CONSOLE)
                .java("FakeConsoleModule", TestApp.FAKE_CONSOLE_MODULE)
                .java("Config", """
                        package demo;

                        import java.util.List;
                        import org.mirage4j.api.Console;
                        import org.mirage4j.config.*;

                        public final class Config implements MirageConfig {
                            @Override public Unikernel configure(Mirage m) {
                                var console = %s;
                                %s
                            }
                        }
                        """.formatted(TestApp.FAKE_CONSOLE_IMPL, configBody))
                .java("Dispatch", """
                        package demo;

                        import jakarta.inject.Inject;
                        import org.mirage4j.api.*;
                        import org.mirage4j.api.block.Block;
                        import org.mirage4j.api.net.StackV4V6;
                        import org.mirage4j.api.time.Sleep;

                        public final class Dispatch implements Job {
                            %s
                            @Override public void start() {}
                        }
                        """.formatted(dispatchConstructor));
    }

    @Test
    void aMissingDeviceNamesTheJobTheParameterAndTheFix() {
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, console, m.sleep()));",
                "@Inject Dispatch(Console console, Sleep sleep, Block disk) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Job demo.Dispatch needs a Block for constructor parameter 3 (disk), but Config.java passes no device "
                        + "for it; pass one to main(Dispatch.class, ...) in the order Console, Sleep, Block.");
    }

    @Test
    void devicesInTheWrongOrderNameTheParameterAndTheOrder() {
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, m.sleep(), console));",
                "@Inject Dispatch(Console console, Sleep sleep) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Job demo.Dispatch's constructor parameter 1 (console) is a Console, but Config.java passes a Sleep "
                        + "(sleep) there; pass devices to main(Dispatch.class, ...) in the order Console, Sleep.");
    }

    @Test
    void anExtraDeviceIsNamed() {
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, console, m.sleep()));",
                "@Inject Dispatch(Console console) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Config.java passes 2 devices to main(Dispatch.class, ...), but job demo.Dispatch's constructor takes 1 "
                        + "(Console); remove the extra Sleep sleep or add a parameter for it to the constructor.");
    }

    @Test
    void anUndeclaredKeyIsNamedWithHowToDeclareIt() {
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, console));",
                "@Inject Dispatch(Console console, @Key(\"port\") int port) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Job demo.Dispatch's constructor parameter 2 (port) is @Key(\"port\"), but Config.java passes no key of "
                        + "that name; declare it with m.key(\"port\", Integer.class, default, \"doc\") and pass it to .keys(...).");
    }

    @Test
    void aKeyOfTheWrongTypeIsNamed() {
        TestApp app = app("""
                var port = m.key("port", String.class, "8080", "the port");
                return m.register("demo", m.main(Dispatch.class, console).keys(port));""",
                "@Inject Dispatch(Console console, @Key(\"port\") int port) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Job demo.Dispatch's constructor parameter 2 (port) is a int, but key port is declared in Config.java as "
                        + "a String; make the two types the same.");
    }

    @Test
    void aJobWithoutInjectConstructorIsRefused() {
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, console));",
                "public Dispatch(Console console) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Job demo.Dispatch has no @Inject constructors;");
    }

    @Test
    void anImplementationMissingFromTheClassPathNamesTheArtifact() {
        // The socket stack lives in org.mirage4j:tcpip, which this test's class path does not have.
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, console, m.genericStackV4V6(m.defaultNetwork())));",
                "@Inject Dispatch(Console console, StackV4V6 stack) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Config.java chose org.mirage4j.tcpip.socket.SocketStack for device stack (StackV4V6) on target unix")
                .hasMessageContaining("depend on org.mirage4j:tcpip");
    }

    @Test
    void aConfigThatDoesNotCompileShowsTheCompilerErrors() {
        TestApp app = app("return m.register(\"demo\", m.main(Dispatch.class, consle));",
                "@Inject Dispatch(Console console) {}");

        assertThatThrownBy(() -> app.evaluate(Target.UNIX))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not compile")
                .hasMessageContaining("consle");
    }

    @Test
    void aMatchingConfigEvaluatesWithDevicesInConnectOrder() throws Exception {
        TestApp app = app("""
                var hello = m.key("hello", String.class, "Hi", "what to say");
                return m.register("demo", m.main(Dispatch.class, console, m.sleep()).keys(hello));""",
                "@Inject Dispatch(Console console, Sleep sleep, @Key(\"hello\") String hello) {}");

        Unikernel unikernel = app.evaluate(Target.UNIX);

        assertThat(unikernel.name()).isEqualTo("demo");
        assertThat(unikernel.devicesInConnectOrder()).extracting(d -> d.name()).containsExactly("console", "sleep");
        assertThat(unikernel.keys()).extracting(k -> k.name()).containsExactly("hello");
    }
}
