package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds images of the guest main classes with Debian's cloud kernel and boots them under QEMU
 * TCG through run.sh. Needs qemu-system-x86 and apt (skipped without them, failed when CI=true).
 */
class BootIT {

    private static final long BOOT_TIMEOUT_SECONDS = 240;

    @TempDir static Path dir;
    private static Kernel kernel;
    private static List<Path> classpath;

    private record Run(int status, List<String> lines, double secondsToFirstLine, double seconds) {}

    @BeforeAll
    static void fetchKernel() throws Exception {
        requireOrSkip(onPath("qemu-system-x86_64"), "qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)");
        requireOrSkip(onPath("apt-get") && onPath("dpkg-deb"), "Debian's apt-get and dpkg-deb fetch the kernel");
        kernel = DebianCloudKernel.cachedIn(DebianCloudKernel.defaultCache()).fetch();
        classpath = TestJars.guestClasspath(dir.resolve("jars"));
    }

    @Test
    void helloWorldPrintsFourLinesAndExitsZero() throws Exception {
        Image image = build("org.mirage4j.image.guest.HelloWorld", "hello", Compression.GZIP, true);
        Run run = boot(image, "--tcg", "--", "--greeting=Hi");
        assertThat(run.lines()).filteredOn(l -> l.equals("Hello World!")).hasSize(4);
        assertThat(run.lines()).contains("keys: [--greeting=Hi]");
        assertThat(run.status()).as("run.sh's exit status; console:%n%s", String.join("\n", run.lines())).isZero();
        System.out.printf("BootIT hello (gzip, AOT): first line after %.2f s, exit after %.2f s; image:%n%s%n",
                run.secondsToFirstLine(), run.seconds(), image.sizes());
    }

    @Test
    void aFailingJobPrintsItsStackTraceAndExitsNonZero() throws Exception {
        Image image = build("org.mirage4j.image.guest.Fails", "fails", Compression.XZ, false);
        Run run = boot(image, "--tcg");
        assertThat(run.lines()).contains("about to fail");
        assertThat(run.lines()).anyMatch(l -> l.contains("java.lang.IllegalStateException: the job failed on purpose"));
        assertThat(run.lines()).anyMatch(l -> l.strip().startsWith("at org.mirage4j.image.guest.Fails"));
        assertThat(run.status()).as("run.sh's exit status; console:%n%s", String.join("\n", run.lines())).isEqualTo(1);
        System.out.printf("BootIT fails (xz, CDS): exit after %.2f s; initrd %d bytes%n", run.seconds(), image.sizes().initrd());
    }

    private static Image build(String mainClass, String name, Compression compression, boolean aot) throws IOException {
        return ImageBuilder.forMainClass(mainClass).classpath(classpath).kernel(kernel).compression(compression).aotCache(aot)
                .jvmOptions(List.of("-Djdk.system.logger.level=DEBUG")) // boot's timings on the console
                .outputDirectory(dir.resolve(name)).build();
    }

    private static Run boot(Image image, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(image.runScript().toString()));
        command.addAll(List.of(args));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        double first = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                line = line.replace("\r", "");
                if (first < 0 && line.equals("Hello World!")) first = (System.nanoTime() - start) / 1e9;
                lines.add(line);
                System.out.println("guest| " + line);
            }
        }
        if (!process.waitFor(BOOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("run.sh did not end within " + BOOT_TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), lines, first, (System.nanoTime() - start) / 1e9);
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
