package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generated run.sh against a stand-in for QEMU that records its arguments and plays the guest. */
class LaunchScriptTest {

    private static final String CMDLINE =
            "console=ttyS0 quiet panic=-1 cryptomgr.notests rdinit=/jre/bin/java LD_LIBRARY_PATH=/jre/lib:/lib -- -Xmx64m -cp /app/a.jar demo.Main";

    /**
     * The stand-in: the run whose second serial port is the status file writes FAKE_STATUS there (if set) and exits
     * with FAKE_EXIT; the KVM probe writes FAKE_PROBE to its serial file.
     */
    private static final String FAKE_QEMU = """
            #!/bin/sh
            serial=
            prev=
            for a in "$@"; do
              if [ "$prev" = -serial ]; then case "$a" in file:*) serial=${a#file:} ;; esac; fi
              if [ "$prev" = -chardev ]; then case "$a" in file,id=status,path=*) serial=${a#file,id=status,path=} ;; esac; fi
              prev=$a
            done
            case "$serial" in
              */probe) printf '%s\\n' "$@" > "$FAKE_DIR/probe-args"; printf '%s\\n' "${FAKE_PROBE:-}" > "$serial"; exit 0 ;;
            esac
            printf '%s\\n' "$@" > "$FAKE_DIR/args"
            echo "guest console"
            if [ -n "${FAKE_STATUS:-}" ]; then printf '%s\\r\\n' "$FAKE_STATUS" > "$serial"; fi
            exit "${FAKE_EXIT:-0}"
            """;

    @TempDir Path dir;
    private Path image;

    private record Result(int status, String output, List<String> qemuArgs) {}

    @BeforeEach
    void writeImage() throws IOException {
        image = Files.createDirectories(dir.resolve("image"));
        Path script = image.resolve("run.sh");
        Files.writeString(script, LaunchScript.text("demo.Main", 384));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(image.resolve("cmdline"), CMDLINE + "\n");
        Path qemu = dir.resolve("fake-qemu");
        Files.writeString(qemu, FAKE_QEMU);
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theGuestsStatusIsRunShsStatus() throws Exception {
        assertThat(run(Map.of("FAKE_STATUS", "0"), "--tcg").status()).isZero();
        Result three = run(Map.of("FAKE_STATUS", "3"), "--tcg");
        assertThat(three.status()).isEqualTo(3);
        assertThat(three.output()).contains("guest console");
    }

    @Test
    void noStatusMeansTheVmDiedAndIs125() throws Exception {
        Result died = run(Map.of(), "--tcg");
        assertThat(died.status()).isEqualTo(125);
        assertThat(died.output()).contains("without reporting an exit status");
        Result failed = run(Map.of("FAKE_EXIT", "1"), "--tcg");
        assertThat(failed.status()).isEqualTo(125);
        assertThat(failed.output()).contains("QEMU failed (exit status 1)");
    }

    @Test
    void theImageIsBootedWithTheCommandLineAndStatusPort() throws Exception {
        List<String> args = run(Map.of("FAKE_STATUS", "0"), "--tcg").qemuArgs();
        assertThat(args).containsSequence("-accel", "tcg").containsSequence("-m", "384").contains("-no-reboot", "-nodefaults");
        assertThat(args).containsSequence("-kernel", image.resolve("vmlinuz").toString(), "-initrd", image.resolve("initrd.img").toString());
        assertThat(args).containsSequence("-append", CMDLINE);
        assertThat(args).containsSequence("-serial", "mon:stdio");
        assertThat(args.get(args.lastIndexOf("-serial") + 1)).startsWith("file:").endsWith("/status");
        assertThat(args).doesNotContain("-netdev");
    }

    @Test
    void runtimeKeysAreAppendedAfterTheJvmsWordsQuotedWhenTheyHaveSpaces() throws Exception {
        List<String> args = run(Map.of("FAKE_STATUS", "0"), "--tcg", "--", "--hello=Hi", "--motd=two words").qemuArgs();
        assertThat(args).containsSequence("-append", CMDLINE + " --hello=Hi \"--motd=two words\"");
    }

    @Test
    void tapAndMemoryOptionsReachQemu() throws Exception {
        List<String> args = run(Map.of("FAKE_STATUS", "0"), "--tap", "tap7", "--mem=1024", "--tcg").qemuArgs();
        assertThat(args).containsSequence("-m", "1024")
                .containsSequence("-netdev", "tap,id=net0,ifname=tap7,script=no,downscript=no")
                .containsSequence("-device", "virtio-net-pci,netdev=net0");
    }

    @Test
    void aDiskIsAVirtioBlkDriveWrittenBack() throws Exception {
        Path disk = Files.write(dir.resolve("disk.img"), new byte[4096]);
        List<String> args = run(Map.of("FAKE_STATUS", "0"), "--disk", disk.toString(), "--tcg").qemuArgs();
        assertThat(args).containsSequence("-drive", "file=" + disk + ",format=raw,if=none,id=disk0,cache=writeback")
                .containsSequence("-device", "virtio-blk-pci,drive=disk0");
    }

    @Test
    void microvmHasVirtioMmioDevicesAndAnIsaStatusPort() throws Exception {
        Path disk = Files.write(dir.resolve("disk.img"), new byte[4096]);
        Result run = run(Map.of("FAKE_STATUS", "4"), "--machine", "microvm", "--tap", "tap0", "--disk=" + disk, "--tcg");
        assertThat(run.status()).as("the status came through the extra serial port").isEqualTo(4);
        assertThat(run.qemuArgs()).containsSequence("-M", "microvm,auto-kernel-cmdline=on")
                .containsSequence("-device", "virtio-net-device,netdev=net0")
                .containsSequence("-device", "virtio-blk-device,drive=disk0")
                .containsSequence("-device", "isa-serial,chardev=status,iobase=0x2f8,irq=3")
                .containsSequence("-serial", "mon:stdio");
        assertThat(run.qemuArgs().stream().filter("-serial"::equals)).hasSize(1);
        String kernel = CMDLINE.substring(0, CMDLINE.indexOf(" -- "));
        assertThat(run.qemuArgs()).anyMatch(a -> a.matches("\\Q" + kernel + "\\E pci=off tsc_early_khz=[0-9]+ -- .*demo\\.Main"));
        assertThat(run(Map.of("FAKE_STATUS", "0"), "--machine=pc", "--tap", "tap0", "--tcg").qemuArgs())
                .containsSequence("-device", "virtio-net-pci,netdev=net0").doesNotContain("-M");
    }

    @Test
    void misuseIsOneSentenceAndStatus125() throws Exception {
        Result unknown = run(Map.of(), "--port=80");
        assertThat(unknown.status()).isEqualTo(125);
        assertThat(unknown.output()).contains("unknown option '--port=80': runtime keys go after --");
        assertThat(run(Map.of(), "--mem", "lots").output()).contains("--mem takes a whole number of MB");
        assertThat(run(Map.of(), "--tap").output()).contains("--tap needs a tap device name");
        assertThat(run(Map.of(), "--machine", "q35").output()).contains("--machine takes pc or microvm, not 'q35'.");
        assertThat(run(Map.of(), "--disk", dir.resolve("none.img").toString()).output())
                .contains("the disk image '" + dir.resolve("none.img") + "' does not exist: create it first");
        assertThat(run(Map.of(), "--tcg", "--", "--q=\"x\"").output()).contains("double quote");
        List<String> tooMany = new ArrayList<>(List.of("--tcg", "--"));
        tooMany.addAll(Collections.nCopies(31, "--k=v"));
        Result many = run(Map.of("FAKE_STATUS", "0"), tooMany.toArray(String[]::new));
        assertThat(many.status()).isEqualTo(125);
        assertThat(many.output()).contains("too many runtime keys").contains("mirage.NAME=VALUE");
        assertThat(run(Map.of("QEMU", "no-such-qemu-here"), "--tcg").output()).contains("apt-get install qemu-system-x86");
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        Result help = run(Map.of(), "--help");
        assertThat(help.status()).isZero();
        assertThat(help.output()).contains("usage: run.sh [--tap IFNAME] [--disk FILE] [--machine pc|microvm] [--mem MB]")
                .contains("--disk FILE").contains("--machine M").contains("-- keys...");
    }

    @Test
    void kvmIsChosenOnlyWhenTheProbeSeesTheKernelRun() throws Exception {
        Path kvm = Path.of("/dev/kvm");
        assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "needs read and write access to /dev/kvm");
        List<String> runs = run(Map.of("FAKE_STATUS", "0", "FAKE_PROBE", "[    0.000000] Linux version 6.1")).qemuArgs();
        assertThat(runs).containsSequence("-accel", "kvm").containsSequence("-cpu", "host");
        assertThat(Files.readAllLines(dir.resolve("probe-args"))).containsSequence("-accel", "kvm");
        List<String> hangs = run(Map.of("FAKE_STATUS", "0", "FAKE_PROBE", "")).qemuArgs();
        assertThat(hangs).containsSequence("-accel", "tcg").containsSequence("-cpu", "max");
    }

    @Test
    void kvmIsForcedByKvm() throws Exception {
        assertThat(run(Map.of("FAKE_STATUS", "0"), "--kvm").qemuArgs()).containsSequence("-accel", "kvm");
        assertThat(dir.resolve("probe-args")).doesNotExist();
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(dir.resolve("args"));
        List<String> command = new ArrayList<>(List.of(image.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("QEMU", dir.resolve("fake-qemu").toString());
        builder.environment().put("FAKE_DIR", dir.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        Path recorded = dir.resolve("args");
        return new Result(status, output, Files.exists(recorded) ? Files.readAllLines(recorded) : List.of());
    }
}
