package org.mirage4j.virtio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The system calls against ordinary files, which take the same pread, pwrite, mmap and poll. */
class NativeFileTest {

    @TempDir Path dir;

    @Test
    void readsAndWritesRegistersOfEachWidthLittleEndian() throws Exception {
        Path file = Files.write(dir.resolve("regs"), new byte[16]);
        try (NativeFile f = NativeFile.openReadWrite(file)) {
            f.write(0, 4, 0x1122_3344);
            f.write(4, 2, 0xbeef);
            f.write(6, 1, 0x7f);
            assertThat(f.read(0, 1)).isEqualTo(0x44);
            assertThat(f.read(0, 2)).isEqualTo(0x3344);
            assertThat(f.read(0, 4)).isEqualTo(0x1122_3344L);
            assertThat(f.read(4, 2)).isEqualTo(0xbeef);
            assertThat(f.read(0, 8)).isEqualTo(0x007f_beef_1122_3344L);
        }
        assertThat(Files.readAllBytes(file)).startsWith(0x44, 0x33, 0x22, 0x11, 0xef, 0xbe, 0x7f);
    }

    @Test
    void readingPastTheEndIsAnError() throws Exception {
        try (NativeFile f = NativeFile.openReadOnly(Files.write(dir.resolve("short"), new byte[2]))) {
            assertThatThrownBy(() -> f.read(0, 4)).isInstanceOf(ErrnoException.class).hasMessageContaining("got 2");
        }
    }

    @Test
    void aMissingFileNamesTheCallAndTheErrno() {
        assertThatThrownBy(() -> NativeFile.openReadOnly(dir.resolve("missing")))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT))
                .hasMessageContaining("open " + dir.resolve("missing")).hasMessageContaining("ENOENT");
    }

    @Test
    void aMappingSharesTheFileAndIsUnusableAfterClose() throws Exception {
        Path file = Files.write(dir.resolve("bar"), new byte[8192]);
        Mapping mapping;
        try (NativeFile f = NativeFile.openReadWrite(file)) {
            mapping = f.map(4096, 4096, true);
        }
        Registers registers = new Registers(mapping.segment());
        registers.write32(8, 0xcafe_f00d);
        registers.write(12, 2, 0x1234);
        assertThat(registers.read(8, 4)).isEqualTo(0xcafe_f00d);
        assertThat(registers.read(13, 1)).isEqualTo(0x12);
        mapping.close();
        mapping.close();
        assertThat(Files.readAllBytes(file)[4096 + 8]).isEqualTo((byte) 0x0d);
        assertThatThrownBy(() -> registers.read32(8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pagemapGivesAnAddressForLockedMemoryWhenRoot() throws Exception {
        Path file = Files.write(dir.resolve("page"), new byte[4096]);
        try (NativeFile f = NativeFile.openReadWrite(file); Mapping mapping = f.map(0, 4096, true)) {
            long entry;
            try (NativeFile pagemap = NativeFile.openReadOnly(Path.of("/proc/self/pagemap"))) {
                entry = pagemap.read(Pagemap.entryOffset(mapping.segment().address()), 8);
            }
            assertThat(entry >>> 63).as("present").isEqualTo(1);
            if ((entry & ((1L << 55) - 1)) != 0) { // the frame number is hidden from all but root
                assertThat(Pagemap.physicalAddress(mapping.segment().address() + 5)).isEqualTo(
                        (entry & ((1L << 55) - 1)) * 4096 + 5);
            }
        }
    }

    @Test
    void pollSeesInputOnAFile() throws Exception {
        try (NativeFile f = NativeFile.openReadWrite(Files.write(dir.resolve("uio"), new byte[] {3, 0, 0, 0}))) {
            assertThat(f.awaitInput(0)).isTrue(); // regular files are always readable
            assertThat(f.readCount()).isEqualTo(3);
            f.writeCount(1);
        }
        assertThat(Files.readAllBytes(dir.resolve("uio"))).containsExactly(3, 0, 0, 0, 1, 0, 0, 0);
    }
}
