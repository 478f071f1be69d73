package org.mirage4j.image;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * Builds the kvm target's image: a bootable single-purpose VM whose init is the JVM running one
 * main class.
 *
 * <pre>{@code
 * Image image = ImageBuilder.forMainClass("com.example.Main")
 *         .classpath(jars)                       // the application's runtime jars, boot's included
 *         .outputDirectory(Path.of("target/kvm"))
 *         .build();                              // vmlinuz, initrd.img, cmdline, run.sh
 * System.out.println(image.sizes());
 * }</pre>
 *
 * Everything else has a default: the JDK this JVM runs on, Debian's cloud kernel (fetched once
 * into {@link DebianCloudKernel#defaultCache()}), the modules {@code uio} and
 * {@code uio_pci_generic}, 16 huge pages and no timer check ({@link #DEFAULT_KERNEL_PARAMETERS}), a 64 MB heap, 512 MB of VM memory (256 is the least that holds the
 * unpacked initramfs twice over, as the kernel's tmpfs root needs), an AOT cache made by a
 * training run of the main class (see {@link AotCache}), and a gzip-compressed initramfs (xz makes
 * it a third smaller but takes five times longer to build and seconds longer to boot under TCG;
 * none boots a second faster than gzip and is twice as big). A builder is used once, from one thread.
 */
public final class ImageBuilder {

    /** The JVM options every image starts with; {@link #jvmOptions} adds to them (later options win). */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED");

    /**
     * Kernel parameters every image has: 16 huge pages (32 MiB) reserved at boot, before memory
     * fragments, for the virtio drivers' rings and buffers; and no check of the timer interrupt's
     * routing, which under TCG on a busy host sometimes misses its window and panics the kernel
     * ("IO-APIC + timer doesn't work"). A {@code hugepages=} word among {@link #kernelParameters}
     * replaces the default.
     */
    public static final List<String> DEFAULT_KERNEL_PARAMETERS = List.of("hugepages=16", "no_timer_check");

    /** The kernel modules an image loads unless told otherwise: what the virtio drivers reach devices through. */
    public static final List<String> DEFAULT_KERNEL_MODULES = List.of("uio", "uio_pci_generic");

    private static final Logger LOG = System.getLogger("image");

    /** Where the jars go, relative to the image's root. */
    private static final String APP_DIR = "app";

    /** Files of a jlinked runtime that are programs other than java, or unused: an image holds no other program. */
    private static final Set<String> RUNTIME_FILES_LEFT_OUT =
            Set.of("lib/jspawnhelper", "lib/jexec", "lib/server/classes_nocoops.jsa", "lib/classlist");

    private final String mainClass;
    private List<Path> classpath = List.of();
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private Kernel kernel;
    private List<String> kernelModules = DEFAULT_KERNEL_MODULES;
    private List<String> jvmOptions = List.of();
    private List<String> arguments = List.of();
    private List<String> kernelParameters = List.of();
    private List<String> extraJdkModules = List.of();
    private int memoryMb = 512;
    private Compression compression = Compression.GZIP;
    private boolean aotCache = true;
    private Path outputDirectory;

    private ImageBuilder(String mainClass) {
        this.mainClass = mainClass;
    }

    /** A builder for an image that runs {@code mainClass}, which calls {@code org.mirage4j.boot.Boot} first. */
    public static ImageBuilder forMainClass(String mainClass) {
        if (!SourceVersion.isName(Objects.requireNonNull(mainClass, "mainClass"))) {
            throw new IllegalArgumentException("'" + mainClass + "' is not a class name such as com.example.Main.");
        }
        return new ImageBuilder(mainClass);
    }

    /** The application's runtime jars in class path order, boot's jar among them. */
    public ImageBuilder classpath(List<Path> jars) {
        this.classpath = List.copyOf(jars);
        return this;
    }

    /** The JDK whose runtime is linked (25 or later); by default the one this JVM runs on. */
    public ImageBuilder javaHome(Path javaHome) {
        this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
        return this;
    }

    /** The kernel; by default Debian's cloud kernel from the cache. */
    public ImageBuilder kernel(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        return this;
    }

    /** The kernel modules to load at boot, by name; their dependencies are added. */
    public ImageBuilder kernelModules(List<String> names) {
        this.kernelModules = List.copyOf(names);
        return this;
    }

    /** JVM options added after {@link #DEFAULT_JVM_OPTIONS}. */
    public ImageBuilder jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** Arguments the main class always gets, before the runtime keys given to {@code run.sh}. */
    public ImageBuilder arguments(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
        return this;
    }

    /** Extra kernel parameters, such as {@code mitigations=off} or {@code mirage.port=8081}. */
    public ImageBuilder kernelParameters(List<String> parameters) {
        this.kernelParameters = List.copyOf(parameters);
        return this;
    }

    /** JDK modules to link although jdeps does not see them used (for example ones loaded as services). */
    public ImageBuilder extraJdkModules(List<String> modules) {
        this.extraJdkModules = List.copyOf(modules);
        return this;
    }

    /** The VM's memory unless {@code run.sh --mem} says otherwise. */
    public ImageBuilder memoryMb(int memoryMb) {
        if (memoryMb < 64) throw new IllegalArgumentException("A VM needs at least 64 MB of memory, not " + memoryMb + ".");
        this.memoryMb = memoryMb;
        return this;
    }

    /** How the initramfs is compressed. */
    public ImageBuilder compression(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        return this;
    }

    /**
     * Whether to make a JDK AOT cache by a training run of the main class at build time (the
     * default), or else a CDS archive of the JDK's classes. Either shortens start-up under TCG; the
     * AOT cache also holds boot's FFM linkage, which halves its cost.
     */
    public ImageBuilder aotCache(boolean aotCache) {
        this.aotCache = aotCache;
        return this;
    }

    /** Where {@code vmlinuz}, {@code initrd.img}, {@code cmdline} and {@code run.sh} are written (made if missing). */
    public ImageBuilder outputDirectory(Path directory) {
        this.outputDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Builds the image, replacing the files of an earlier build in the output directory.
     *
     * @throws ImageException for a problem the user can fix (a missing jar, kernel or module, no JDK tools), with a
     *     sentence that says what to do
     */
    public Image build() throws IOException {
        if (outputDirectory == null) throw new IllegalStateException("set outputDirectory(...) before build()");
        for (Path jar : classpath) {
            if (!Files.isRegularFile(jar)) throw new ImageException("The jar " + jar + " does not exist: build it first.");
        }
        Kernel kernel = this.kernel != null ? this.kernel : DebianCloudKernel.cachedIn(DebianCloudKernel.defaultCache()).fetch();
        List<Path> modules = KernelModules.of(kernel).withDependencies(kernelModules);

        Files.createDirectories(outputDirectory);
        Path work = Files.createTempDirectory(outputDirectory, ".build-");
        try {
            // root/ is laid out as the image's root as far as the JVM sees it: jre/ and, for the AOT training, app/.
            Path root = work.resolve("root");
            Path jre = root.resolve("jre");
            RuntimeLinker linker = new RuntimeLinker(JdkTools.of(javaHome));
            List<String> jdkModules = linker.modulesFor(classpath, extraJdkModules);
            linker.link(jdkModules, jre);

            List<String> jarNames = jarNames(classpath);
            // Relative to init's working directory, /, so that the AOT training run names the same jars (see AotCache).
            String classpathWords = String.join(":", jarNames.stream().map(n -> APP_DIR + "/" + n).toList());
            List<String> options = new ArrayList<>(DEFAULT_JVM_OPTIONS);
            options.addAll(jvmOptions);
            Path startupCache = null;
            if (aotCache) {
                for (int i = 0; i < classpath.size(); i++) {
                    Path copy = root.resolve(APP_DIR).resolve(jarNames.get(i));
                    Files.createDirectories(copy.getParent());
                    Files.copy(classpath.get(i), copy, StandardCopyOption.COPY_ATTRIBUTES); // the cache checks size and time
                }
                long started = System.nanoTime();
                startupCache = AotCache.train(root, options, classpathWords, mainClass, arguments);
                LOG.log(Level.DEBUG, () -> "AOT training took " + (System.nanoTime() - started) / 1_000_000 + " ms");
                options.add("-XX:AOTCache=/" + AotCache.PATH);
            } else if (linker.dumpCds(jre)) {
                startupCache = jre.resolve("lib/server/classes.jsa");
                options.add("-Xshare:auto");
            }
            String cmdline = KernelCommandLine.of(withDefaults(kernelParameters), options, classpathWords, mainClass, arguments);

            List<SharedLibraries.Library> libraries = SharedLibraries.forRuntime(jre, SharedLibraries.HOST_DIRS);
            Initramfs initramfs = contents(jre, libraries, jarNames, modules);
            if (aotCache) initramfs.file(AotCache.PATH, startupCache, 0644);

            Path uncompressed = work.resolve("initrd.cpio");
            initramfs.write(uncompressed);
            Path initrd = outputDirectory.resolve("initrd.img");
            Initramfs.compress(uncompressed, initrd, compression);
            Path vmlinuz = outputDirectory.resolve("vmlinuz");
            Files.copy(kernel.vmlinuz(), vmlinuz, StandardCopyOption.REPLACE_EXISTING);
            Path cmdlineFile = outputDirectory.resolve("cmdline");
            Files.writeString(cmdlineFile, cmdline + "\n", StandardCharsets.UTF_8);
            Path runScript = outputDirectory.resolve("run.sh");
            Files.writeString(runScript, LaunchScript.text(mainClass, memoryMb), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(runScript, PosixFilePermissions.fromString("rwxr-xr-x"));

            long cLibrary = 0;
            for (SharedLibraries.Library library : libraries) cLibrary += Files.size(library.hostFile());
            long jars = 0;
            for (Path jar : classpath) jars += Files.size(jar);
            long cacheBytes = startupCache == null ? 0 : Files.size(startupCache);
            SizeReport sizes = new SizeReport(Files.size(vmlinuz), initramfs.sizeOf("jre") - (aotCache ? 0 : cacheBytes), cLibrary,
                    jars, cacheBytes, aotCache ? "AOT cache" : "CDS archive", initramfs.sizeOf("lib/modules"),
                    Files.size(uncompressed), Files.size(initrd), String.join(",", jdkModules));
            return new Image(outputDirectory, vmlinuz, initrd, cmdlineFile, runScript, sizes);
        } finally {
            deleteTree(work);
        }
    }

    /** What the initramfs holds: mount points, the console device, the runtime, the jars and the modules. */
    private Initramfs contents(Path jre, List<SharedLibraries.Library> libraries, List<String> jarNames, List<Path> modules)
            throws IOException {
        Initramfs initramfs = new Initramfs();
        for (String mountPoint : List.of("dev", "proc", "sys")) initramfs.directory(mountPoint, 0755);
        initramfs.directory("tmp", 01777);
        // The kernel opens /dev/console for init's stdin, stdout and stderr before anything is mounted.
        initramfs.charDevice("dev/console", 5, 1, 0600);
        initramfs.tree("jre", jre, relative -> (relative.startsWith("bin/") && !relative.equals("bin/java"))
                || RUNTIME_FILES_LEFT_OUT.contains(relative));
        for (SharedLibraries.Library library : libraries) initramfs.file(library.imagePath(), library.hostFile(), 0755);
        initramfs.directory(APP_DIR, 0755);
        for (int i = 0; i < classpath.size(); i++) initramfs.file(APP_DIR + "/" + jarNames.get(i), classpath.get(i), 0644);
        initramfs.directory("lib/modules", 0755);
        StringBuilder loadOrder = new StringBuilder("# loaded in this order by org.mirage4j.boot at boot\n");
        for (Path module : modules) {
            String name = module.getFileName().toString();
            initramfs.file("lib/modules/" + name, module, 0644);
            loadOrder.append(name).append('\n');
        }
        initramfs.content("lib/modules/load-order", loadOrder.toString().getBytes(StandardCharsets.UTF_8), 0644);
        return initramfs;
    }

    /** {@link #DEFAULT_KERNEL_PARAMETERS} unless {@code given} sets the same parameter, then {@code given}. */
    static List<String> withDefaults(List<String> given) {
        List<String> all = new ArrayList<>();
        for (String parameter : DEFAULT_KERNEL_PARAMETERS) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=') + 1) : parameter;
            if (given.stream().noneMatch(p -> p.equals(parameter) || (name.endsWith("=") && p.startsWith(name)))) all.add(parameter);
        }
        all.addAll(given);
        return all;
    }

    /** The jars' names in {@code /app}: their file names, numbered where two are the same. */
    static List<String> jarNames(List<Path> jars) {
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            for (int n = 2; !taken.add(name); n++) name = n + "-" + jar.getFileName();
            names.add(name);
        }
        return names;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) Files.deleteIfExists(p);
    }
}
