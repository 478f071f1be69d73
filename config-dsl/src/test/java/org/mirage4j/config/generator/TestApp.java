package org.mirage4j.config.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mirage4j.config.Target;
import org.mirage4j.config.Unikernel;

/**
 * An application written into a temporary directory as source text, evaluated by
 * {@link ConfigLoader} as the Maven plugin does.
 */
final class TestApp {

    final Path base;
    final Path sources;

    TestApp(Path base) {
        this.base = base;
        this.sources = base.resolve("src/main/java");
    }

    /** Writes {@code source} as {@code demo/NAME.java}. */
    TestApp java(String name, String source) {
        write(sources.resolve("demo").resolve(name + ".java"), source);
        return this;
    }

    TestApp file(String relative, String content) {
        write(base.resolve(relative), content);
        return this;
    }

    Unikernel evaluate(Target target) throws IOException {
        try (ConfigLoader loader = new ConfigLoader(List.of(sources), classpath(), base.resolve("target/mirage"))) {
            var config = loader.findConfig(null);
            return loader.evaluate(config.getKey(), config.getValue(), target, Map.of());
        }
    }

    /** The test's own class path: mirage-api, the DSL, the runtime, Dagger. */
    static List<Path> classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    private static void write(Path path, String content) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A console that remembers what it printed, bound by a module of its own, as a real device is. */
    static final String FAKE_CONSOLE = """
            package demo;

            import io.netty.buffer.ByteBuf;
            import jakarta.inject.Inject;
            import jakarta.inject.Singleton;
            import java.util.List;
            import java.util.concurrent.CopyOnWriteArrayList;
            import org.mirage4j.api.Console;

            @Singleton
            public final class FakeConsole implements Console {
                public static final List<String> LINES = new CopyOnWriteArrayList<>();
                public static final List<String> EVENTS = new CopyOnWriteArrayList<>();
                @Inject FakeConsole() {}
                @Override public void connect() { EVENTS.add("connect console"); }
                @Override public void disconnect() { EVENTS.add("disconnect console"); }
                @Override public void log(String line) { LINES.add(line); }
                @Override public void write(ByteBuf data) { data.release(); }
                @Override public ByteBuf read() { return null; }
            }
            """;

    static final String FAKE_CONSOLE_MODULE = """
            package demo;

            import dagger.Binds;
            import dagger.Module;
            import org.mirage4j.api.Console;

            @Module
            public interface FakeConsoleModule {
                @Binds Console bind(FakeConsole console);
            }
            """;

    static final String FAKE_CONSOLE_IMPL =
            "Impl.of(Console.class, \"console\", \"demo.FakeConsole\", \"demo.FakeConsoleModule\", \"demo:fake\", List.of(), List.of())";
}
