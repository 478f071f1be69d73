package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin/java");

    @Test
    void theJavaLauncherNamesItsLoaderAndLibraries() throws Exception {
        Elf java = Elf.read(JAVA);
        assertThat(java.interpreter()).hasValueSatisfying(i -> assertThat(i).startsWith("/").contains("ld-linux"));
        assertThat(java.needed()).contains("libc.so.6");
    }

    @Test
    void modinfoStringsAreRead() throws Exception {
        byte[] ko = TinyElf.module("license=GPL", "depends=uio,x", "name=uio_pci_generic");
        assertThat(ModInfo.strings(ko, "t.ko")).containsExactly("license=GPL", "depends=uio,x", "name=uio_pci_generic");
        assertThat(ModInfo.dependencies(ko, "t.ko")).containsExactly("uio", "x");
        assertThat(ModInfo.dependencies(TinyElf.module("depends="), "t.ko")).isEmpty();
        assertThat(Elf.of(ko, "t.ko").needed()).isEmpty();
        assertThat(Elf.of(ko, "t.ko").interpreter()).isEmpty();
    }

    @Test
    void notElfOrTruncatedIsRefused() {
        assertThatThrownBy(() -> Elf.of("#!/bin/sh\necho hi\n".repeat(8).getBytes(StandardCharsets.US_ASCII), "x"))
                .isInstanceOf(ImageException.class).hasMessageContaining("not a little-endian ELF-64");
        byte[] ko = TinyElf.module("depends=uio");
        assertThatThrownBy(() -> Elf.of(Arrays.copyOf(ko, ko.length - 70), "cut.ko"))
                .isInstanceOf(ImageException.class).hasMessageContaining("damaged");
    }
}
