package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianCloudKernelTest {

    @Test
    void theKernelPackageIsReadFromAptCacheDepends() {
        String depends = "linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-56-cloud-amd64\n";
        assertThat(DebianCloudKernel.kernelPackage(depends)).hasValue("linux-image-6.1.0-56-cloud-amd64");
        assertThat(DebianCloudKernel.kernelPackage("linux-image-cloud-amd64\n  Depends: linux-base\n")).isEmpty();
    }

    @Test
    void aCacheEntryIsIntactUntilAFileChangesOrGoes(@TempDir Path entry) throws Exception {
        Path tree = FakeKernel.write(entry.resolve("tree"));
        assertThat(DebianCloudKernel.intact(entry)).isFalse(); // never finished: no sums
        Files.writeString(entry.resolve("sha256sums"), DebianCloudKernel.sums(tree));
        assertThat(DebianCloudKernel.intact(entry)).isTrue();
        assertThat(Files.readString(entry.resolve("sha256sums"))).contains("  boot/vmlinuz-" + FakeKernel.VERSION + "\n");

        Path vmlinuz = tree.resolve("boot/vmlinuz-" + FakeKernel.VERSION);
        Files.write(vmlinuz, new byte[] {'M', 'Z', 1, 2, 4});
        assertThat(DebianCloudKernel.intact(entry)).isFalse();
        Files.write(vmlinuz, new byte[] {'M', 'Z', 1, 2, 3});
        assertThat(DebianCloudKernel.intact(entry)).isTrue();
        Files.delete(tree.resolve("lib/modules/" + FakeKernel.VERSION + "/modules.builtin"));
        assertThat(DebianCloudKernel.intact(entry)).isFalse();
    }
}
