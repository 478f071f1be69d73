package org.mirage4j.block.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.testing.TrackedHeapAllocator;

/** What a user sees when the file is not as it should be; and what an interrupted caller does to the device. */
class FileBlockTest {

    @TempDir
    Path dir;

    private static FileBlock connect(Path file, String size, boolean readOnly) throws IOException {
        FileBlock block = new FileBlock(file.toString(), size, readOnly);
        block.connect();
        return block;
    }

    @Test
    void aMissingFileIsCreatedOnlyWhenASizeIsGiven() throws IOException {
        Path image = dir.resolve("disk.img");
        assertThatThrownBy(() -> connect(image, "", false)).isInstanceOf(DeviceException.class)
                .hasMessage("Block file " + image + " does not exist; create it (for example: truncate -s 64M " + image
                        + ") or give --block-size=64M to have it created.");
        assertThat(image).doesNotExist();

        FileBlock block = connect(image, "1000", false);
        try {
            assertThat(Files.size(image)).isEqualTo(1024);
            assertThat(block.info().sectors()).isEqualTo(2);
            assertThat(block.info().readWrite()).isTrue();
        } finally {
            block.disconnect();
        }
    }

    @Test
    void problemsAUserCanFixAreOneSentence() throws IOException {
        assertThatThrownBy(() -> connect(dir.resolve("x.img"), "lots", false)).isInstanceOf(DeviceException.class)
                .hasMessage("--block-size: 'lots' is not a size such as 1048576, 512K, 64M or 2G.");
        assertThatThrownBy(() -> connect(dir, "", false)).isInstanceOf(DeviceException.class)
                .hasMessageContaining("is a directory; give --block-file the path of a disk image file.");
        assertThatThrownBy(() -> connect(dir.resolve("no/such/dir/x.img"), "1M", false)).isInstanceOf(DeviceException.class)
                .hasMessageContaining("does not exist; create the directory first.");
        Path tiny = Files.write(dir.resolve("tiny.img"), new byte[100]);
        assertThatThrownBy(() -> connect(tiny, "", false)).isInstanceOf(DeviceException.class)
                .hasMessageContaining("less than one 512-byte sector");
        assertThatThrownBy(() -> connect(Path.of(""), "", false)).isInstanceOf(DeviceException.class)
                .hasMessageContaining("--block-file is empty");
    }

    @Test
    void aFileInUseIsRefused() throws IOException {
        Path image = dir.resolve("busy.img");
        FileBlock first = connect(image, "4K", false);
        try {
            assertThatThrownBy(() -> connect(image, "", false)).isInstanceOf(DeviceException.class)
                    .hasMessageContaining("is in use by another block device");
            assertThatThrownBy(() -> connect(image, "", true)).isInstanceOf(DeviceException.class);
        } finally {
            first.disconnect();
        }
        connect(image, "", false).disconnect(); // released on disconnect
    }

    @Test
    void aFileThatIsNotAWholeNumberOfSectorsLosesItsTail() throws IOException {
        Path image = Files.write(dir.resolve("odd.img"), new byte[1300]);
        FileBlock block = connect(image, "", true);
        try {
            assertThat(block.info().sectors()).isEqualTo(2);
            assertThat(block.info().readWrite()).isFalse();
        } finally {
            block.disconnect();
        }
    }

    @Test
    void aFileThisProcessMayNotWriteIsOpenedReadOnly() throws Exception {
        Path image = Files.write(dir.resolve("locked.img"), new byte[4096]);
        boolean root = "root".equals(System.getProperty("user.name"));
        // Root may write any file whatever its mode; an immutable file is the one it may not.
        if (root) {
            assertThat(new ProcessBuilder("chattr", "+i", image.toString()).inheritIO().start().waitFor())
                    .as("chattr +i (e2fsprogs) on %s", image).isZero();
        } else {
            Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("r--r--r--"));
        }
        try {
            FileBlock block = connect(image, "", false);
            try {
                assertThat(block.info().readWrite()).isFalse();
            } finally {
                block.disconnect();
            }
        } finally {
            if (root) new ProcessBuilder("chattr", "-i", image.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void anInterruptedCallerStillGetsItsDataAndClosesNothing() throws Exception {
        Path image = dir.resolve("interrupt.img");
        FileBlock block = connect(image, "64K", false);
        try {
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread reader = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> failure.set(e)).unstarted(() -> {
                ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(4096, 4096);
                try {
                    Thread.currentThread().interrupt();
                    block.read(0, buf);
                    assertThat(buf.writableBytes()).isZero();
                    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    buf.release();
                }
            });
            reader.start();
            reader.join();
            assertThat(failure.get()).isNull();
            ByteBuf again = TrackedHeapAllocator.INSTANCE.heapBuffer(512, 512);
            try {
                block.read(1, again); // the file is still open for everyone else
            } finally {
                again.release();
            }
        } finally {
            block.disconnect();
        }
    }
}
