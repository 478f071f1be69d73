package org.mirage4j.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code .modinfo} section of a kernel module: NUL-terminated {@code key=value}
 * strings, the source of {@code modinfo(8)} and {@code depmod(8)}. We read it ourselves because
 * Debian's kernel package ships no {@code modules.dep} (depmod makes it on installation) and the
 * build machine need not have kmod.
 */
final class ModInfo {

    private ModInfo() {}

    /** The modules {@code ko} depends on ({@code depends=a,b}), by name; empty when none. */
    static List<String> dependencies(Path ko) throws IOException {
        return dependencies(Files.readAllBytes(ko), ko.toString());
    }

    static List<String> dependencies(byte[] ko, String name) throws ImageException {
        for (String s : strings(ko, name)) {
            if (s.startsWith("depends=")) {
                String list = s.substring("depends=".length());
                return list.isEmpty() ? List.of() : List.of(list.split(","));
            }
        }
        return List.of();
    }

    /** Every {@code key=value} string of the module's {@code .modinfo} section. */
    static List<String> strings(byte[] ko, String name) throws ImageException {
        Elf elf;
        try {
            elf = Elf.of(ko, name);
        } catch (ImageException e) {
            throw new ImageException("The kernel module " + name
                    + " is not an ELF file; use a kernel whose modules are uncompressed .ko files (CONFIG_MODULE_COMPRESS_NONE).", e);
        }
        byte[] modinfo = elf.section(".modinfo").orElseThrow(() -> new ImageException("The kernel module " + name
                + " has no .modinfo section; use the modules built with the kernel."));
        List<String> strings = new ArrayList<>();
        for (String s : new String(modinfo, StandardCharsets.UTF_8).split("\0")) {
            if (!s.isEmpty()) strings.add(s);
        }
        return strings;
    }
}
