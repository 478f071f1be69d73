package org.mirage4j.image;

import java.nio.file.Path;

/**
 * A built image: the files in its output directory.
 *
 * @param directory the output directory
 * @param vmlinuz the kernel
 * @param initrd the initramfs: runtime, jars, kernel modules
 * @param cmdline the file with the kernel command line that {@code run.sh} passes
 * @param runScript the launcher, {@code run.sh}
 * @param sizes what the image is made of
 */
public record Image(Path directory, Path vmlinuz, Path initrd, Path cmdline, Path runScript, SizeReport sizes) {}
