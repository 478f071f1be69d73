package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelModulesTest {

    @TempDir Path root;

    @Test
    void aKernelTreeIsFoundByItsLayout() throws Exception {
        Kernel kernel = Kernel.fromTree(FakeKernel.write(root));
        assertThat(kernel.version()).isEqualTo(FakeKernel.VERSION);
        assertThat(kernel.vmlinuz()).isEqualTo(root.resolve("boot/vmlinuz-" + FakeKernel.VERSION));
        assertThat(kernel.modules()).isEqualTo(root.resolve("lib/modules/" + FakeKernel.VERSION));
    }

    @Test
    void aDirectoryWithoutAKernelIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> Kernel.fromTree(root)).isInstanceOf(ImageException.class)
                .hasMessageContaining("lib/modules/VERSION").hasMessageContaining("mirage.kernel");
    }

    @Test
    void everyModuleComesAfterWhatItDependsOn() throws Exception {
        KernelModules modules = KernelModules.of(Kernel.fromTree(FakeKernel.write(root)));
        assertThat(names(modules.withDependencies(List.of("uio_pci_generic", "virtio_net"))))
                .containsExactly("uio.ko", "uio_pci_generic.ko", "failover.ko", "net_failover.ko", "virtio-net.ko");
        assertThat(names(modules.withDependencies(List.of("uio", "uio-pci-generic", "uio"))))
                .containsExactly("uio.ko", "uio_pci_generic.ko");
    }

    @Test
    void aBuiltInModuleNeedsNoFile() throws Exception {
        KernelModules modules = KernelModules.of(Kernel.fromTree(FakeKernel.write(root)));
        assertThat(modules.withDependencies(List.of("virtio_pci"))).isEmpty();
    }

    @Test
    void anUnknownModuleIsRefusedWithWhatToDo() throws Exception {
        KernelModules modules = KernelModules.of(Kernel.fromTree(FakeKernel.write(root)));
        assertThatThrownBy(() -> modules.withDependencies(List.of("no_such_driver"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("has no module no_such_driver").hasMessageContaining("modules.order");
    }

    @Test
    void aCompressedModuleIsRefusedWithWhatToDo() throws Exception {
        FakeKernel.write(root);
        Files.write(root.resolve("lib/modules/" + FakeKernel.VERSION + "/kernel/drivers/uio/uio.ko"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0});
        KernelModules modules = KernelModules.of(Kernel.fromTree(root));
        assertThatThrownBy(() -> modules.withDependencies(List.of("uio"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("CONFIG_MODULE_COMPRESS_NONE");
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }
}
