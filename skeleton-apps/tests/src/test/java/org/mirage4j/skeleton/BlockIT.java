package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block app on a disk image file it creates. */
class BlockIT {

    @TempDir
    Path dir;

    @Test
    void writesReadsBackAndChecksTheWholeDevice() throws Exception {
        Path image = dir.resolve("disk.img");
        try (App app = App.start("block", "--block-file=" + image, "--block-size=2M")) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as(app.output()).isZero();
            assertThat(app.output()).contains("block: wrote, flushed and read back all 4096 sectors (2097152 bytes): every byte as written");
        }
        assertThat(Files.size(image)).isEqualTo(2 << 20);
    }

    @Test
    void aMissingFileWithoutASizeIsOneSentence() throws Exception {
        Path image = dir.resolve("missing.img");
        try (App app = App.start("block", "--block-file=" + image, "--block-size=")) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(app.output()).contains("Block file " + image + " does not exist; create it");
        }
    }
}
