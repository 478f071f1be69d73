package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.testing.RequiresCommands;

/**
 * The kvm target as a user meets it: {@code mvn -Ptarget=kvm package} in an application's
 * directory, then {@code target/run.sh}, under QEMU (TCG on these machines). Each test builds a
 * copy of a skeleton app, so the unix builds the other tests run stay as they are.
 */
@RequiresCommands({"qemu-system-x86_64"})
class KvmIT {

    @TempDir Path work;

    /** Copies {@code skeleton-apps/NAME} (without its build) and builds it with {@code -Ptarget=kvm package}. */
    private Path buildForKvm(String name) throws Exception {
        return buildForKvm(name, Map.of());
    }

    /** The same, with some of the copy's files replaced ({@code relative path -> content}). */
    private Path buildForKvm(String name, Map<String, String> changedFiles) throws Exception {
        Path app = AppCopy.build(work, name, changedFiles, "-Ptarget=kvm", "package", "-DskipTests");
        assertThat(app.resolve("target/run.sh")).isExecutable();
        return app;
    }

    @Test
    void helloBootsPrintsFourTimesAndExitsZero() throws Exception {
        Path hello = buildForKvm("hello");

        Run run = Run.of(hello, 300, List.of(hello.resolve("target/run.sh").toString(), "--tcg"));

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.lines()).filteredOn(l -> l.equals("Hello World!")).hasSize(4);
        assertOnlyTheJvmIsAProgram(hello.resolve("target/initrd.img"));
    }

    @Test
    void helloKeyTakesItsKeyAfterTheDoubleDashAndFromTheKernelCommandLine() throws Exception {
        Path app = buildForKvm("hello-key");

        Run run = Run.of(app, 300, List.of(app.resolve("target/run.sh").toString(), "--tcg", "--", "--hello=Hi"));

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.lines()).filteredOn(l -> l.equals("Hi")).hasSize(4);

        // The same key on the kernel command line itself, before its "--": mirage.NAME=VALUE.
        Path cmdline = app.resolve("target/cmdline");
        Files.writeString(cmdline, Files.readString(cmdline).replace(" -- ", " mirage.hello=FromTheKernelLine -- "));
        Run fromKernel = Run.of(app, 300, List.of(app.resolve("target/run.sh").toString(), "--tcg"));

        assertThat(fromKernel.status()).as(fromKernel.output()).isZero();
        assertThat(fromKernel.lines()).filteredOn(l -> l.equals("FromTheKernelLine")).hasSize(4);
    }

    @Test
    void aJobThatThrowsShowsItsStackTraceAndExitsNonZero() throws Exception {
        Path dispatch = AppCopy.ROOT.resolve("skeleton-apps/hello/src/main/java/org/mirage4j/skeleton/hello/Dispatch.java");
        String thrower = Files.readString(dispatch).replace("console.log(\"Hello World!\");",
                "console.log(\"Hello World!\"); if (i == 1) throw new IllegalStateException(\"the job gave up\");");
        assertThat(thrower).contains("the job gave up");
        Path app = buildForKvm("hello", Map.of("src/main/java/org/mirage4j/skeleton/hello/Dispatch.java", thrower));

        Run run = Run.of(app, 300, List.of(app.resolve("target/run.sh").toString(), "--tcg"));

        assertThat(run.status()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("java.lang.IllegalStateException: the job gave up")
                .contains("at org.mirage4j.skeleton.hello.Dispatch.start");
        assertThat(run.lines()).filteredOn(l -> l.equals("Hello World!")).hasSize(2);
    }

    /** The initramfs holds no shell and no program but the JVM: the only executable that is not a library is /jre/bin/java. */
    private static void assertOnlyTheJvmIsAProgram(Path initrd) throws IOException {
        List<String> programs = new ArrayList<>();
        try (InputStream in = new CpioArchiveInputStream(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(initrd))))) {
            CpioArchiveInputStream cpio = (CpioArchiveInputStream) in;
            for (CpioArchiveEntry e = cpio.getNextCPIOEntry(); e != null; e = cpio.getNextCPIOEntry()) {
                String name = e.getName();
                boolean executable = e.isRegularFile() && (e.getMode() & 0111) != 0;
                boolean library = name.contains(".so") || name.startsWith("lib64/ld-linux");
                if (executable && !library) programs.add(name);
            }
        }
        assertThat(programs).containsExactly("jre/bin/java");
    }
}
