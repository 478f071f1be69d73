package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsTest {

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void whatIsWrittenIsWhatTheKernelReads(Compression compression) throws Exception {
        Path host = dir.resolve("host.txt");
        Files.writeString(host, "from the host");
        Path tree = Files.createDirectories(dir.resolve("tree/bin"));
        Files.writeString(tree.resolve("tool"), "#!");
        Files.setPosixFilePermissions(tree.resolve("tool"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(tree.resolve("skip"), "left out");
        Files.createSymbolicLink(dir.resolve("tree/link"), Path.of("bin/tool"));

        Initramfs initramfs = new Initramfs();
        initramfs.tree("opt", dir.resolve("tree"), relative -> relative.equals("bin/skip"));
        initramfs.content("etc/motd", "hello".getBytes(StandardCharsets.UTF_8), 0644);
        initramfs.file("data/host.txt", host, 0600);
        initramfs.charDevice("dev/console", 5, 1, 0600);
        initramfs.directory("tmp", 01777);
        Path archive = dir.resolve("initrd.cpio");
        initramfs.write(archive);
        Path out = dir.resolve("initrd");
        Initramfs.compress(archive, out, compression);

        Map<String, CpioListing.Item> items = CpioListing.read(out);
        assertThat(items.keySet()).containsExactlyInAnyOrder("data", "data/host.txt", "dev", "dev/console", "etc", "etc/motd",
                "opt", "opt/bin", "opt/bin/tool", "opt/link", "tmp");
        assertThat(text(items.get("etc/motd"))).isEqualTo("hello");
        assertThat(text(items.get("data/host.txt"))).isEqualTo("from the host");
        assertThat(items.get("data/host.txt").entry().getMode()).isEqualTo(CpioConstants.C_ISREG | 0600);
        assertThat(items.get("opt/bin/tool").entry().getMode()).isEqualTo(CpioConstants.C_ISREG | 0750);
        assertThat(items.get("opt/link").entry().isSymbolicLink()).isTrue();
        assertThat(text(items.get("opt/link"))).isEqualTo("bin/tool");
        assertThat(items.get("dev/console").entry().isCharacterDevice()).isTrue();
        assertThat(items.get("dev/console").entry().getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(items.get("dev/console").entry().getRemoteDeviceMin()).isEqualTo(1);
        assertThat(items.get("tmp").entry().getMode()).isEqualTo(CpioConstants.C_ISDIR | 01777);
        assertThat(items.get("etc").entry().getMode()).isEqualTo(CpioConstants.C_ISDIR | 0755);

        List<String> order = new ArrayList<>(items.keySet());
        for (String path : order) {
            int slash = path.lastIndexOf('/');
            if (slash > 0) assertThat(order.indexOf(path.substring(0, slash))).as(path).isLessThan(order.indexOf(path));
        }
        assertThat(initramfs.sizeOf("opt")).isEqualTo(2);
        assertThat(initramfs.sizeOf("etc/motd")).isEqualTo(5);
    }

    @Test
    void xzUsesTheCrc32CheckTheKernelVerifies() throws Exception {
        Initramfs initramfs = new Initramfs();
        initramfs.content("a", new byte[100], 0644);
        initramfs.write(dir.resolve("initrd.cpio"));
        Path out = dir.resolve("initrd.xz");
        Initramfs.compress(dir.resolve("initrd.cpio"), out, Compression.XZ);
        byte[] header = Files.readAllBytes(out);
        // xz stream header: 6 magic bytes, then stream flags 0x00 and the check type (0x01 = CRC32, 0x04 = CRC64).
        assertThat(header[6]).isEqualTo((byte) 0);
        assertThat(header[7]).isEqualTo((byte) 1);
    }

    @Test
    void absoluteAndEmptyPathsAreRefused() {
        Initramfs initramfs = new Initramfs();
        assertThatThrownBy(() -> initramfs.directory("/abs", 0755)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> initramfs.directory("a//b", 0755)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> initramfs.directory("", 0755)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(CpioListing.Item item) {
        return new String(item.bytes(), StandardCharsets.UTF_8);
    }
}
