package org.mirage4j.boot.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the calls that are harmless on the build machine; mount, module loading and power-off run in the IT's VM. */
class SyscallsTest {

    private static final Syscalls SYSCALLS = Syscalls.link();

    @Test
    void writesThroughOpenAndClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out");
        Files.createFile(file);
        int fd = SYSCALLS.open(file.toString(), Syscalls.O_WRONLY | Syscalls.O_CLOEXEC);
        try {
            SYSCALLS.write(fd, "42\n".getBytes(StandardCharsets.US_ASCII));
        } finally {
            SYSCALLS.close(fd);
        }
        assertThat(Files.readString(file)).isEqualTo("42\n");
    }

    @Test
    void aRefusedCallNamesItsErrno(@TempDir Path dir) {
        assertThatThrownBy(() -> SYSCALLS.open(dir.resolve("missing").toString(), Syscalls.O_RDONLY))
                .isInstanceOf(SyscallException.class)
                .hasMessageContaining("open " + dir.resolve("missing"))
                .hasMessageContaining("ENOENT (errno 2)")
                .satisfies(e -> assertThat(((SyscallException) e).errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void drainingAFileThatIsNoTerminalIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("plain"));
        int fd = SYSCALLS.open(file.toString(), Syscalls.O_RDONLY);
        try {
            assertThatThrownBy(() -> SYSCALLS.drain(fd)).hasMessageContaining("ENOTTY");
        } finally {
            SYSCALLS.close(fd);
        }
    }
}
