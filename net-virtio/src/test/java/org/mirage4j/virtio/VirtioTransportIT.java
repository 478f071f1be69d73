package org.mirage4j.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.boot.Boot;
import org.mirage4j.image.DebianCloudKernel;
import org.mirage4j.image.Image;
import org.mirage4j.image.ImageBuilder;
import org.mirage4j.virtio.bus.LinuxVirtioBus;

/**
 * Boots {@code ReadNetDevice} under QEMU TCG with a virtio-net device whose MAC QEMU is told, and
 * checks that the guest reads that MAC through our transports: PCI (the pc machine, uio) and
 * virtio-mmio (the microvm machine, /dev/mem), each modern and legacy. Needs qemu-system-x86 and apt (for Debian's kernel);
 * skipped without them, failed when CI=true.
 */
class VirtioTransportIT {

    private static final long TIMEOUT_SECONDS = 300;

    @TempDir static Path dir;
    private static Image image;

    @BeforeAll
    static void buildImage() throws Exception {
        requireOrSkip(onPath("qemu-system-x86_64"), "qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)");
        requireOrSkip(onPath("apt-get") && onPath("dpkg-deb"), "Debian's apt-get and dpkg-deb fetch the kernel");
        Path jars = Files.createDirectories(dir.resolve("jars"));
        List<Path> classpath = List.of(
                jar(jars.resolve("guest.jar"), codeSource(VirtioTransportIT.class), "org/mirage4j/virtio/guest/"),
                jar(jars.resolve("net-virtio.jar"), codeSource(LinuxVirtioBus.class), ""),
                asJar(codeSource(Boot.class), jars.resolve("boot.jar")),
                asJar(codeSource(DeviceException.class), jars.resolve("mirage-api.jar")));
        image = ImageBuilder.forMainClass("org.mirage4j.virtio.guest.ReadNetDevice").classpath(classpath)
                .kernel(DebianCloudKernel.cachedIn(DebianCloudKernel.defaultCache()).fetch()).aotCache(false)
                .outputDirectory(dir.resolve("image")).build();
    }

    @Test
    void thePcMachinesVirtioNetPciShowsItsMacThroughUio() throws Exception {
        List<String> console = boot(List.of("-serial", "mon:stdio", "-serial", "file:" + dir.resolve("pc-status"),
                "-device", "virtio-net-pci,mac=52:54:00:12:34:56"));
        assertThat(console).anyMatch(l -> l.startsWith("virtio-net mac 52:54:00:12:34:56 legacy=false interrupts=true queue0=256"));
        assertThat(console).anyMatch(l -> l.matches("dma device address 0x[1-9a-f][0-9a-f]*000 page 2097152"));
        assertThat(Files.readString(dir.resolve("pc-status")).strip()).as("exit status; console:%n%s", String.join("\n", console)).isEqualTo("0");
    }

    @Test
    void aLegacyOnlyPciDeviceIsDrivenThroughItsIoBar() throws Exception {
        List<String> console = boot(List.of("-serial", "mon:stdio", "-serial", "file:" + dir.resolve("legacy-status"),
                "-device", "virtio-net-pci,disable-modern=on,mac=52:54:00:00:00:01"));
        assertThat(console).anyMatch(l -> l.startsWith("virtio-net mac 52:54:00:00:00:01 legacy=true interrupts=true queue0=256"));
        assertThat(Files.readString(dir.resolve("legacy-status")).strip()).as("exit status; console:%n%s", String.join("\n", console)).isEqualTo("0");
    }

    @Test
    void aLegacyVirtioMmioDeviceIsVersion1() throws Exception {
        Path status = dir.resolve("mmio-legacy-status");
        List<String> console = boot(List.of("-M", "microvm", "-serial", "mon:stdio", "-chardev", "file,id=status,path=" + status,
                "-device", "isa-serial,chardev=status,iobase=0x2f8,irq=3", "-device", "virtio-net-device,mac=52:54:00:00:00:02"));
        assertThat(console).anyMatch(l -> l.startsWith("virtio-net mac 52:54:00:00:00:02 legacy=true interrupts=false"));
        assertThat(Files.readString(status).strip()).as("exit status; console:%n%s", String.join("\n", console)).isEqualTo("0");
    }

    @Test
    void theMicrovmsVirtioMmioDeviceShowsItsMacThroughDevMem() throws Exception {
        Path status = dir.resolve("microvm-status");
        List<String> console = boot(List.of("-M", "microvm,auto-kernel-cmdline=on", "-global", "virtio-mmio.force-legacy=false",
                "-serial", "mon:stdio", "-chardev", "file,id=status,path=" + status,
                "-device", "isa-serial,chardev=status,iobase=0x2f8,irq=3", "-device", "virtio-net-device,mac=52:54:00:ab:cd:ef"));
        assertThat(console).anyMatch(l -> l.startsWith("virtio-net mac 52:54:00:ab:cd:ef legacy=false interrupts=false"));
        assertThat(Files.readString(status).strip()).as("exit status; console:%n%s", String.join("\n", console)).isEqualTo("0");
    }

    /** Boots the image under TCG with {@code machine}'s options, as run.sh would (see it for microvm's TSC rate). */
    private static List<String> boot(List<String> machine) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64"));
        command.addAll(machine);
        String cmdline = Files.readString(image.cmdline()).strip();
        if (machine.contains("-M")) {
            int dashes = cmdline.indexOf(" -- ");
            cmdline = cmdline.substring(0, dashes) + " tsc_early_khz=" + hostTscKhz() + cmdline.substring(dashes);
        }
        command.addAll(List.of("-accel", "tcg", "-cpu", "max", "-m", "512", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-kernel", image.vmlinuz().toString(), "-initrd", image.initrd().toString(), "-append", cmdline));
        Process qemu = new ProcessBuilder(command).redirectErrorStream(true).start();
        qemu.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var out = qemu.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("guest| " + line);
                    synchronized (lines) {
                        lines.add(line.replace("\r", ""));
                    }
                }
            } catch (IOException e) {
                // QEMU ended
            }
        });
        if (!qemu.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            qemu.destroyForcibly();
            throw new AssertionError("QEMU did not end within " + TIMEOUT_SECONDS + " s: " + lines);
        }
        reader.join();
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The host's CPU clock in kHz from /proc/cpuinfo, which a TCG guest's TSC runs at. */
    private static long hostTscKhz() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("cpu MHz")).findFirst()
                .map(l -> (long) (Double.parseDouble(l.substring(l.indexOf(':') + 1).strip()) * 1000)).orElse(1_000_000L);
    }

    private static Path asJar(Path location, Path jar) throws IOException {
        return Files.isDirectory(location) ? jar(jar, location, "") : location;
    }

    /** A jar of the files under {@code classes} whose path starts with {@code prefix}. */
    private static Path jar(Path jar, Path classes, String prefix) throws IOException {
        if (!Files.isDirectory(classes)) return classes;
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(file).toString();
                if (!name.startsWith(prefix)) continue;
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireOrSkip(boolean present, String reason) {
        if (!present && "true".equals(System.getenv("CI"))) throw new AssertionError("CI=true but " + reason);
        assumeTrue(present, reason);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }
}
