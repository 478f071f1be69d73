package org.mirage4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds one image with the real jdeps and jlink and a made-up kernel, and looks inside it. */
class ImageBuilderTest {

    @TempDir static Path dir;
    private static Image image;
    private static Map<String, CpioListing.Item> initrd;

    @BeforeAll
    static void build() throws Exception {
        Kernel kernel = Kernel.fromTree(FakeKernel.write(dir.resolve("kernel")));
        image = ImageBuilder.forMainClass("org.mirage4j.image.guest.HelloWorld")
                .classpath(TestJars.guestClasspath(dir.resolve("jars")))
                .kernel(kernel)
                .kernelModules(List.of("uio_pci_generic"))
                .jvmOptions(List.of("-Xmx32m"))
                .arguments(List.of("--greeting=Hi"))
                .memoryMb(300)
                .outputDirectory(dir.resolve("out"))
                .build();
        initrd = CpioListing.read(image.initrd());
    }

    @Test
    void theOutputDirectoryHoldsTheFourFilesAndNothingElse() throws Exception {
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("vmlinuz", "initrd.img", "cmdline", "run.sh");
        }
        assertThat(Files.isExecutable(image.runScript())).isTrue();
        assertThat(Files.readString(image.runScript())).contains("mem=300").contains("org.mirage4j.image.guest.HelloWorld");
        assertThat(Files.readAllBytes(image.vmlinuz())).isEqualTo(new byte[] {'M', 'Z', 1, 2, 3});
    }

    @Test
    void theOnlyProgramIsJava() {
        List<String> programs = initrd.entrySet().stream()
                .filter(e -> e.getValue().isExecutableFile() && !isSharedLibrary(e.getKey()))
                .map(Map.Entry::getKey).toList();
        assertThat(programs).containsExactly("jre/bin/java");
        assertThat(initrd.keySet()).noneMatch(p -> p.endsWith("/sh") || p.contains("busybox") || p.startsWith("bin")
                || p.startsWith("sbin") || p.startsWith("usr"));
        assertThat(initrd.keySet()).filteredOn(p -> p.startsWith("jre/bin/")).containsExactly("jre/bin/java");
    }

    @Test
    void theRuntimeTheCLibraryTheJarsAndTheModulesAreIn() {
        assertThat(initrd.keySet()).contains("dev", "dev/console", "proc", "sys", "tmp", "jre/lib/server/libjvm.so",
                "jre/lib/modules", "lib/libc.so.6", "lib64/ld-linux-x86-64.so.2", "app/guest.jar", "app/app.aot",
                "lib/modules/uio.ko", "lib/modules/uio_pci_generic.ko");
        assertThat(text("lib/modules/load-order").lines().filter(l -> !l.startsWith("#")).toList())
                .containsExactly("uio.ko", "uio_pci_generic.ko");
        assertThat(initrd.keySet()).noneMatch(p -> p.contains(".jsa") || p.endsWith("jspawnhelper")); // the AOT cache replaces CDS
    }

    @Test
    void theCommandLineRunsTheMainClassWithTheJarsAndOptions() throws Exception {
        String cmdline = Files.readString(image.cmdline()).strip();
        assertThat(cmdline).startsWith("console=ttyS0 quiet panic=-1 cryptomgr.notests hugepages=16 no_timer_check rdinit=/jre/bin/java LD_LIBRARY_PATH=/jre/lib:/lib -- ")
                .contains(" -Xmx64m -XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -Xmx32m -XX:AOTCache=/app/app.aot ")
                .matches(".* -cp app/guest\\.jar:app/boot[^:]*\\.jar:app/mirage-api[^:]*\\.jar org\\.mirage4j\\.image\\.guest\\.HelloWorld --greeting=Hi");
    }

    @Test
    void hugePagesAreReservedUnlessTheParametersSayHowMany() {
        assertThat(ImageBuilder.withDefaults(List.of("mitigations=off")))
                .containsExactly("hugepages=16", "no_timer_check", "mitigations=off");
        assertThat(ImageBuilder.withDefaults(List.of("hugepages=64", "no_timer_check")))
                .containsExactly("hugepages=64", "no_timer_check");
    }

    @Test
    void theSizeReportAddsUp() throws Exception {
        SizeReport sizes = image.sizes();
        assertThat(sizes.kernel()).isEqualTo(5);
        assertThat(sizes.initrd()).isEqualTo(Files.size(image.initrd()));
        assertThat(sizes.runtime()).isGreaterThan(10_000_000);
        assertThat(sizes.startupCache()).isEqualTo(initrd.get("app/app.aot").bytes().length);
        assertThat(sizes.appJars()).isEqualTo(initrd.get("app/guest.jar").bytes().length + initrd.entrySet().stream()
                .filter(e -> e.getKey().startsWith("app/") && !e.getKey().equals("app/guest.jar") && e.getKey().endsWith(".jar"))
                .mapToLong(e -> e.getValue().bytes().length).sum());
        assertThat(sizes.initrdUncompressed())
                .isGreaterThan(sizes.runtime() + sizes.cLibrary() + sizes.appJars() + sizes.startupCache() + sizes.modules());
        assertThat(sizes.initrd()).isLessThan(sizes.initrdUncompressed());
        assertThat(sizes.jdkModules()).isEqualTo("java.base");
        assertThat(sizes.toString()).contains("kernel (vmlinuz)").contains("Java runtime").contains("(java.base)")
                .contains("initramfs (initrd.img)").contains("AOT cache");
    }

    @Test
    void aMissingJarIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> ImageBuilder.forMainClass("a.Main").classpath(List.of(dir.resolve("nope.jar")))
                .outputDirectory(dir.resolve("x")).build())
                .isInstanceOf(ImageException.class).hasMessageContaining("does not exist: build it first");
        assertThatThrownBy(() -> ImageBuilder.forMainClass("not a class")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jarsWithTheSameNameAreNumbered() {
        assertThat(ImageBuilder.jarNames(List.of(Path.of("a/x.jar"), Path.of("b/x.jar"), Path.of("y.jar"), Path.of("c/x.jar"))))
                .containsExactly("x.jar", "2-x.jar", "y.jar", "3-x.jar");
    }

    private static boolean isSharedLibrary(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.endsWith(".so") || name.contains(".so.");
    }

    private static String text(String path) {
        return new String(initrd.get(path).bytes(), StandardCharsets.UTF_8);
    }
}
