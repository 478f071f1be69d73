package org.mirage4j.image;

import java.util.Locale;

/**
 * What an image is made of, in bytes.
 *
 * @param kernel the kernel image ({@code vmlinuz})
 * @param runtime the jlinked Java runtime, uncompressed, without the startup cache
 * @param cLibrary the C library and dynamic loader the runtime needs
 * @param appJars the application's jars
 * @param startupCache the AOT cache or CDS archive
 * @param startupCacheKind which of the two, as text
 * @param modules the kernel modules in the initramfs
 * @param initrdUncompressed the initramfs archive before compression
 * @param initrd the initramfs as written ({@code initrd.img})
 * @param jdkModules the JDK modules in the runtime, comma-separated
 */
public record SizeReport(long kernel, long runtime, long cLibrary, long appJars, long startupCache, String startupCacheKind,
        long modules, long initrdUncompressed, long initrd,
        String jdkModules) {

    /** The bytes QEMU loads: kernel and initramfs. */
    public long total() {
        return kernel + initrd;
    }

    /** A few lines for the build's log. */
    @Override
    public String toString() {
        return String.join("\n",
                line("kernel (vmlinuz)", kernel),
                line("Java runtime", runtime) + "  (" + jdkModules + ")",
                line("C library and loader", cLibrary),
                line("application jars", appJars),
                line(startupCacheKind, startupCache),
                line("kernel modules", modules),
                line("initramfs, uncompressed", initrdUncompressed),
                line("initramfs (initrd.img)", initrd),
                line("image (vmlinuz + initrd.img)", total()));
    }

    private static String line(String part, long bytes) {
        return String.format(Locale.ROOT, "%-30s %9.1f MiB", part, bytes / (1024.0 * 1024.0));
    }
}
