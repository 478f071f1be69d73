package org.mirage4j.config.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.Device;
import org.mirage4j.api.Job;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvRo;
import org.mirage4j.config.ConfigException;
import org.mirage4j.config.Target;
import org.mirage4j.config.Unikernel;
import org.mirage4j.runtime.CommandLine;
import org.mirage4j.runtime.Wiring;

/**
 * Generates a unikernel, compiles the generated sources with Dagger as the build does, and runs
 * the wiring: the job gets the chosen devices, connected in order, with the keys' values.
 */
class UnikernelGeneratorTest {

    @TempDir Path dir;

    private TestApp helloApp() {
        return new TestApp(dir)
                .java("FakeConsole", TestApp.FAKE_CONSOLE)
                .java("FakeConsoleModule", TestApp.FAKE_CONSOLE_MODULE)
                .file("htdocs/index.html", "<h1>hi</h1>\n")
                .file("htdocs/css/site.css", "h1 {}\n")
                .java("Config", """
                        package demo;

                        import java.util.List;
                        import org.mirage4j.api.Console;
                        import org.mirage4j.config.*;

                        public final class Config implements MirageConfig {
                            @Override public Unikernel configure(Mirage m) {
                                var console = %s;
                                var hello = m.key("hello", String.class, "Hello World!", "what to say");
                                var times = m.key("times", Integer.class, 2, "how many times");
                                return m.register("demo", m.main(Dispatch.class, console, m.crunch("htdocs")).keys(hello, times));
                            }
                        }
                        """.formatted(TestApp.FAKE_CONSOLE_IMPL))
                .java("Dispatch", """
                        package demo;

                        import jakarta.inject.Inject;
                        import org.mirage4j.api.*;
                        import org.mirage4j.api.kv.*;

                        public final class Dispatch implements Job {
                            private final Console console; private final KvRo files; private final String hello; private final int times;
                            @Inject Dispatch(Console console, KvRo files, @Key("hello") String hello, @Key("times") int times) {
                                this.console = console; this.files = files; this.hello = hello; this.times = times;
                            }
                            @Override public void start() throws Exception {
                                for (int i = 0; i < times; i++) console.log(hello);
                                var page = files.get(KvKey.parse("/index.html"));
                                try { console.log(page.toString(java.nio.charset.StandardCharsets.UTF_8).strip()); } finally { page.release(); }
                            }
                        }
                        """);
    }

    @Test
    void generatedSourcesCompileWithDaggerAndRunTheJobWithItsDevicesAndKeys() throws Exception {
        TestApp app = helloApp();
        Unikernel unikernel = app.evaluate(Target.UNIX);
        Path generated = dir.resolve("target/generated-sources/mirage");
        Path resources = dir.resolve("target/generated-resources/mirage");
        new UnikernelGenerator(unikernel, "demo.Config", dir).write(generated, resources);

        Path classes = compileWithDagger(app.sources, generated);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), resources.toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> main = loader.loadClass(UnikernelGenerator.MAIN_CLASS);
            @SuppressWarnings("unchecked")
            List<RuntimeKey<?>> keys = (List<RuntimeKey<?>>) loader.loadClass("mirage.Keys").getField("ALL").get(null);
            Method wire = main.getDeclaredMethod("wire", org.mirage4j.runtime.KeyValues.class);
            wire.setAccessible(true);
            Wiring wiring = (Wiring) wire.invoke(null, CommandLine.parse(keys, List.of("--hello=Hi", "--times=3")).values());

            assertThat(wiring.devices()).extracting(Wiring.NamedDevice::name).containsExactly("console", "htdocs");
            for (Wiring.NamedDevice d : wiring.devices()) {
                Device device = d.device().get();
                device.connect();
            }
            KvRo htdocs = (KvRo) wiring.devices().get(1).device().get();
            assertThat(htdocs.list(KvKey.parse("/css"))).extracting(e -> e.name()).containsExactly("site.css");

            Job job = wiring.job().get();
            job.start();

            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) loader.loadClass("demo.FakeConsole").getField("LINES").get(null);
            assertThat(lines).containsExactly("Hi", "Hi", "Hi", "<h1>hi</h1>");
        }
    }

    @Test
    void theComponentSaysWhichImplementationIsBoundToWhichInterface() throws Exception {
        TestApp app = helloApp();
        Unikernel unikernel = app.evaluate(Target.UNIX);
        Path generated = dir.resolve("gen");
        new UnikernelGenerator(unikernel, "demo.Config", dir).write(generated, dir.resolve("res"));

        String component = Files.readString(generated.resolve("mirage/UnikernelComponent.java"));
        assertThat(component)
                .contains("Generated by mirage4j from demo.Config for target unix")
                .containsPattern("console\\s+Console\\s+<- demo.FakeConsole")
                .containsPattern("htdocs\\s+KvRo\\s+<- org.mirage4j.runtime.kv.CrunchedKvRo")
                .contains("FakeConsoleModule.class")
                .contains("CrunchHtdocsModule.class");
        assertThat(Files.readString(generated.resolve("mirage/Keys.java")))
                .contains("RuntimeKey.optional(\"hello\", KeyType.STRING, \"Hello World!\", \"what to say\")");
    }

    @Test
    void aModuleThatTwoDevicesListIsIncludedOnce() throws Exception {
        TestApp app = helloApp()
                .java("SharedModule", """
                        package demo;

                        /** What two devices both need bound, as the kvm target's virtio devices need the virtio bus. */
                        @dagger.Module
                        public interface SharedModule {}
                        """);
        app.java("Config", Files.readString(app.sources.resolve("demo/Config.java"))
                .replace("var console = " + TestApp.FAKE_CONSOLE_IMPL + ";",
                        "var console = " + TestApp.FAKE_CONSOLE_IMPL + ".with(\"demo.SharedModule\", List.of());")
                .replace("m.crunch(\"htdocs\")", "m.crunch(\"htdocs\").with(\"demo.SharedModule\", List.of())"));
        Unikernel unikernel = app.evaluate(Target.UNIX);
        Path generated = dir.resolve("gen");
        new UnikernelGenerator(unikernel, "demo.Config", dir).write(generated, dir.resolve("res"));

        String component = Files.readString(generated.resolve("mirage/UnikernelComponent.java"));
        assertThat(component.split("SharedModule\\.class", -1)).hasSize(2);
        compileWithDagger(app.sources, generated);
    }

    @Test
    void aMissingCrunchDirectoryIsOneSentence() throws Exception {
        TestApp app = helloApp();
        Unikernel unikernel = app.evaluate(Target.UNIX);
        Files.delete(dir.resolve("htdocs/css/site.css"));
        Files.delete(dir.resolve("htdocs/css"));
        Files.delete(dir.resolve("htdocs/index.html"));
        Files.delete(dir.resolve("htdocs"));

        assertThatThrownBy(() -> new UnikernelGenerator(unikernel, "demo.Config", dir).write(dir.resolve("g"), dir.resolve("r")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("m.crunch(\"htdocs\") in Config.java names")
                .hasMessageEndingWith("which is not a directory; create it or fix the path (it is relative to the application's base directory).");
    }

    /** Compiles the app and the generated sources with Dagger's annotation processor, as the app's build does. */
    private Path compileWithDagger(Path appSources, Path generated) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (Path root : List.of(appSources, generated)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toString()));
            }
        }
        String classpath = TestApp.classpath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classpath,
                "-processorpath", classpath, "-parameters", "-Xlint:none"));
        args.addAll(files);
        var errors = new java.io.ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(String[]::new));
        assertThat(status).as("javac + Dagger on the generated sources:\n%s", errors).isZero();
        return classes;
    }
}
