package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeLinkerTest {

    @TempDir Path dir;

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void jdepsStartsFromThePlainJarsAndReachesModularOnesOnTheClassPath() throws IOException {
        Path app = jar("app.jar", "demo/Main.class");
        Path netty = jar("netty-codec-http.jar", "META-INF/versions/11/module-info.class", "io/netty/X.class");
        Path modular = jar("modular.jar", "module-info.class");
        assertThat(RuntimeLinker.roots(List.of(netty, app, modular))).containsExactly(app);
    }

    @Test
    void whenEveryJarIsModularEveryJarIsARoot() throws IOException {
        Path a = jar("a.jar", "module-info.class");
        Path b = jar("b.jar", "META-INF/versions/9/module-info.class");
        assertThat(RuntimeLinker.roots(List.of(a, b))).containsExactly(a, b);
    }
}
