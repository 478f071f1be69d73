package org.mirage4j.config.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarMojoTest {

    @TempDir Path app;

    /** What package writes is an archive of the directory, file by file. */
    @Test
    void theImageOfADirectoryServesItsFiles() throws Exception {
        Files.createDirectories(app.resolve("data/docs"));
        Files.writeString(app.resolve("data/hello.txt"), "Hello from the tar image\n");
        Files.writeString(app.resolve("data/docs/readme"), "nested");
        Path image = app.resolve("target/app.tar");

        String message = TarMojo.build(app, "data", image);

        assertThat(message).startsWith("tar image target/app.tar of data: ");
        assertThat(Files.size(image) % 512).as("whole sectors, ready to be a block device").isZero();
        Map<String, String> entries = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(image))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e.isDirectory() ? "/" : new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsEntry("hello.txt", "Hello from the tar image\n").containsEntry("docs/readme", "nested");
    }

    @Test
    void aMissingDirectoryIsOneSentence() {
        assertThatThrownBy(() -> TarMojo.build(app, "nowhere", app.resolve("target/app.tar")))
                .isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("mirage.tar.directory is 'nowhere', but ")
                .hasMessageEndingWith("is not a directory: name the directory the tar image should hold, relative to the application.");
    }
}
