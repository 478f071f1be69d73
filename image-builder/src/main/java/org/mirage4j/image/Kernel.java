package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A Linux kernel for the image: its compressed image and the directory of its modules.
 *
 * <p>The kernel is an input: Debian's cloud kernel ({@link DebianCloudKernel}) or any kernel
 * installed into a directory the usual way ({@code make install INSTALL_PATH=DIR/boot} and
 * {@code make modules_install INSTALL_MOD_PATH=DIR}), read by {@link #fromTree}.
 *
 * @param vmlinuz the bootable kernel image (bzImage)
 * @param modules the kernel's {@code lib/modules/VERSION} directory, with {@code modules.order}
 * @param version the kernel release, such as {@code 6.1.0-56-cloud-amd64}
 */
public record Kernel(Path vmlinuz, Path modules, String version) {

    public Kernel {
        Objects.requireNonNull(vmlinuz, "vmlinuz");
        Objects.requireNonNull(modules, "modules");
        Objects.requireNonNull(version, "version");
    }

    /**
     * The kernel installed under {@code root}: {@code root/boot/vmlinuz-VERSION} (or
     * {@code root/vmlinuz}) and {@code root/lib/modules/VERSION}. This is the layout of an
     * extracted {@code linux-image} package.
     *
     * @throws ImageException when {@code root} does not hold exactly one kernel
     */
    public static Kernel fromTree(Path root) throws IOException {
        Path modulesRoot = root.resolve("lib/modules");
        List<Path> versions = Files.isDirectory(modulesRoot) ? list(modulesRoot).stream().filter(Files::isDirectory).toList() : List.of();
        if (versions.size() != 1) {
            throw new ImageException("The kernel directory " + root + " must hold exactly one lib/modules/VERSION directory (found "
                    + versions.size() + "); install a kernel there with make install and make modules_install, or leave mirage.kernel unset to use Debian's.");
        }
        String version = versions.getFirst().getFileName().toString();
        Path vmlinuz = Stream.of(root.resolve("boot/vmlinuz-" + version), root.resolve("boot/vmlinuz"), root.resolve("vmlinuz"))
                .filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new ImageException("The kernel directory " + root + " has no boot/vmlinuz-" + version
                        + " or vmlinuz; install the kernel image there with make install INSTALL_PATH=" + root.resolve("boot") + "."));
        return new Kernel(vmlinuz, versions.getFirst(), version);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
