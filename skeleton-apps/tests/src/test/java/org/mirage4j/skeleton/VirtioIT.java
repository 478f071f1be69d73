package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.netns.CommandResult;
import org.mirage4j.testing.netns.NetNs;
import org.mirage4j.testing.netns.NetNsProcess;
import org.mirage4j.testing.netns.RequiresNetNs;

/**
 * The kvm target's virtio drivers end to end, as a user runs them: skeleton apps built with
 * {@code -Ptarget=kvm}, booted under QEMU TCG by {@code target/run.sh} inside a network namespace
 * whose Linux side (10.0.0.1 on tap0) is the peer. The http skeleton serves its page and a 100 MiB
 * file on the pc machine (virtio-net-pci through uio) and on microvm (virtio-mmio); the block
 * skeleton writes its pattern to a disk image the host then checks; the kv skeleton keeps its data
 * across two boots of one disk image.
 */
@RequiresNetNs
@RequiresCommands({"qemu-system-x86_64", "curl", "nc"})
class VirtioIT {

    private static final String URL = "http://10.0.0.2:8080/";
    private static final long BIG = 100L << 20;
    /** How long a VM may take to boot and bring its stack up under TCG on a busy machine. */
    private static final Duration BOOT = Duration.ofMinutes(5);

    @TempDir Path work;
    private NetNs ns;

    /** A namespace with tap0 at 10.0.0.1/24, for run.sh --tap tap0. */
    private NetNs namespace() throws IOException {
        ns = TapNamespace.create("virtio");
        return ns;
    }

    @AfterEach
    void removeNamespace() throws IOException {
        if (ns != null) ns.close(); // kills the VMs still in it, also when the test failed
    }

    /**
     * The page and a 100 MiB file (random bytes, seed printed) on both machines, sha256 checked. Should the download
     * stall, the failure shows the VM's threads (Ctrl-\ typed on its console), its last console lines and Linux's
     * view of the connection.
     */
    @Test
    void httpServesItsPageAndA100MiBFileOnThePcAndTheMicrovmMachines() throws Exception {
        Path big = work.resolve("http/htdocs/big.bin"); // AppCopy copies over it and keeps it: crunched into the image
        Files.createDirectories(big.getParent());
        String bigSha256 = writeRandom(big, BIG);
        // The crunched file is one value of the embedded store, read into the heap at start: room for it.
        Path http = AppCopy.build(work, "http", Map.of(), "-Ptarget=kvm", "package", "-DskipTests", "-Dmirage.jvmOptions=-Xmx512m");
        String index = Files.readString(http.resolve("htdocs/index.html"));
        namespace();

        for (String machine : List.of("pc", "microvm")) {
            NetNsProcess vm = ns.startWithInput(http.resolve("target/run.sh").toString(), "--tcg", "--machine", machine,
                    "--mem", "1536", "--tap", "tap0", "--", "--ipv4=10.0.0.2/24");
            CommandResult page = awaitServing(vm, "curl", "-sS", "--max-time", "10", URL);
            assertThat(page.stdout()).as(machine).isEqualTo(index);

            Path got = work.resolve("big-" + machine + ".bin");
            // Under TCG the VM serves 3-16 MB/s: a minute without a byte is a stall, not a slow machine.
            CommandResult download = ns.run(Duration.ofMinutes(10), "curl", "-sS", "--speed-time", "60", "--speed-limit", "1",
                    "--max-time", "590", "-o", got.toString(), URL + "big.bin");
            if (download.exitCode() != 0) throw new AssertionError(machine + ": " + download.stderr() + stallReport(vm));
            assertThat(Files.size(got)).as(machine).isEqualTo(BIG);
            assertThat(sha256(got)).as(machine).isEqualTo(bigSha256);
            Files.delete(got);
            stopVms();
        }
    }

    /** What a stalled download leaves to look at: Linux's sockets, then the VM's threads and its console's last lines. */
    private String stallReport(NetNsProcess vm) throws Exception {
        String sockets = ns.run(Duration.ofSeconds(10), "ss", "-tin").stdout();
        vm.type(new byte[] {0x1c}); // Ctrl-\: the JVM in the VM prints its threads
        Thread.sleep(5000);
        List<String> console = vm.outputSoFar().lines().toList();
        return "\nss -tin in the namespace:\n" + sockets + "\nthe VM's console, last lines (threads after Ctrl-\\):\n"
                + String.join("\n", console.subList(Math.max(0, console.size() - 400), console.size()));
    }

    @Test
    void blockWritesItsPatternToTheDiskImageAndPowersOff() throws Exception {
        Path block = AppCopy.build(work, "block", Map.of(), "-Ptarget=kvm", "package", "-DskipTests");
        Path disk = work.resolve("disk.img");
        try (var file = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0).write(ByteBuffer.allocate(1), (2 << 20) - 1); // 2 MiB of zeros
        }

        Run run = Run.of(block, (int) BOOT.toSeconds(), List.of(block.resolve("target/run.sh").toString(), "--tcg", "--disk", disk.toString()));

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("block: wrote, flushed and read back all 4096 sectors (2097152 bytes): every byte as written");
        assertThat(sha256(disk)).isEqualTo(blockPatternSha256(4096, 512));
    }

    @Test
    void kvKeepsItsDataAcrossTwoBootsOfOneDiskImage() throws Exception {
        Path kv = AppCopy.build(work, "kv", Map.of(), "-Ptarget=kvm", "package", "-DskipTests");
        Path disk = work.resolve("kv.img");
        try (var file = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(1), (16 << 20) - 1);
        }
        namespace();
        List<String> boot = List.of(kv.resolve("target/run.sh").toString(), "--tcg", "--tap", "tap0", "--disk", disk.toString(),
                "--", "--ipv4=10.0.0.2/24");

        NetNsProcess first = ns.start(boot.toArray(String[]::new));
        CommandResult set = awaitServing(first, "sh", "-c", "printf 'SET color blue\\nGET color\\n' | nc -q 5 10.0.0.2 7001");
        assertThat(set.stdout().lines().toList()).containsExactly("OK", "blue");
        stopVms(); // QEMU killed, not powered off: what was acknowledged must be on the disk image already

        NetNsProcess second = ns.start(boot.toArray(String[]::new));
        CommandResult get = awaitServing(second, "sh", "-c", "printf 'GET color\\n' | nc -q 5 10.0.0.2 7001");
        assertThat(get.stdout().lines().toList()).containsExactly("blue");
    }

    /** Runs {@code probe} in the namespace until it exits 0 with output, while the VM boots. */
    private CommandResult awaitServing(NetNsProcess vm, String... probe) throws Exception {
        long deadline = System.nanoTime() + BOOT.toNanos();
        CommandResult last = null;
        while (System.nanoTime() < deadline) {
            if (!vm.isAlive()) throw new AssertionError("the VM ended while booting:\n" + vm.await(Duration.ofSeconds(10)));
            last = ns.run(Duration.ofSeconds(30), probe);
            if (last.exitCode() == 0 && !last.stdout().isEmpty()) return last;
            Thread.sleep(2000);
        }
        throw new AssertionError("the VM did not answer within " + BOOT + "; last try: " + last);
    }

    /**
     * Stops every process in the namespace (run.sh and its QEMU) by its pid: run.sh defers a SIGTERM
     * until QEMU ends, so QEMU gets one itself.
     */
    private void stopVms() throws Exception {
        for (int round = 0; round < 30; round++) {
            Process list = new ProcessBuilder("ip", "netns", "pids", ns.name()).redirectErrorStream(true).start();
            List<String> pids = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                    .lines().map(String::strip).filter(p -> p.matches("[0-9]+")).toList();
            list.waitFor();
            if (pids.isEmpty()) return;
            for (String pid : pids) new ProcessBuilder("kill", pid).start().waitFor();
            Thread.sleep(1000);
        }
        throw new AssertionError("the VM's processes did not end");
    }

    /** Writes {@code size} pseudo-random bytes (seeded, the seed printed) and returns their SHA-256. */
    private static String writeRandom(Path file, long size) throws Exception {
        long seed = new SplittableRandom().nextLong();
        System.out.println("VirtioIT: big.bin from seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += chunk.length) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The SHA-256 of the disk the block skeleton writes: byte {@code i} (a multiple of 8) of sector
     * {@code s} starts the big-endian long {@code s * 0x9E3779B97F4A7C15 + i} (see its Dispatch).
     */
    private static String blockPatternSha256(long sectors, int sectorSize) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer sector = ByteBuffer.allocate(sectorSize);
        for (long s = 0; s < sectors; s++) {
            sector.clear();
            for (int i = 0; i < sectorSize; i += 8) sector.putLong(s * 0x9E3779B97F4A7C15L + i);
            sha.update(sector.flip());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
