package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kernel tree laid out as an extracted linux-image package, with made-up modules, for tests that boot nothing. */
final class FakeKernel {

    static final String VERSION = "6.1.0-test-amd64";

    private FakeKernel() {}

    /**
     * Writes {@code boot/vmlinuz-VERSION} and modules: uio; uio_pci_generic (depends on uio); virtio-net
     * (written with a dash, depends on net_failover, which depends on failover); and virtio_pci built in.
     */
    static Path write(Path root) throws IOException {
        Path modules = root.resolve("lib/modules/" + VERSION);
        Files.createDirectories(root.resolve("boot"));
        Files.write(root.resolve("boot/vmlinuz-" + VERSION), new byte[] {'M', 'Z', 1, 2, 3});
        module(modules, "kernel/drivers/uio/uio.ko", "license=GPL v2", "depends=", "name=uio");
        module(modules, "kernel/drivers/uio/uio_pci_generic.ko", "license=GPL v2", "depends=uio", "name=uio_pci_generic");
        module(modules, "kernel/net/core/failover.ko", "depends=", "name=failover");
        module(modules, "kernel/drivers/net/net_failover.ko", "depends=failover", "name=net_failover");
        module(modules, "kernel/drivers/net/virtio-net.ko", "depends=net_failover,failover", "name=virtio_net");
        Files.writeString(modules.resolve("modules.order"), String.join("\n", "kernel/drivers/uio/uio.ko",
                "kernel/drivers/uio/uio_pci_generic.ko", "kernel/net/core/failover.ko", "kernel/drivers/net/net_failover.ko",
                "kernel/drivers/net/virtio-net.ko", ""));
        Files.writeString(modules.resolve("modules.builtin"), "kernel/drivers/virtio/virtio_pci.ko\n");
        return root;
    }

    private static void module(Path modules, String path, String... modinfo) throws IOException {
        Path file = modules.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, TinyElf.module(modinfo));
    }
}
