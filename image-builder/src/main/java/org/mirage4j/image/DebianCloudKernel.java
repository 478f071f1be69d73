package org.mirage4j.image;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's kernel for cloud VMs ({@code linux-image-*-cloud-amd64}), fetched once with
 * {@code apt-get download}, unpacked with {@code dpkg-deb -x} into a cache directory, and checked
 * against the SHA-256 sums written then on every later use.
 *
 * <p>Layout: {@code CACHE/PACKAGE_VERSION/tree/} (the unpacked package, read by
 * {@link Kernel#fromTree}) and {@code CACHE/PACKAGE_VERSION/sha256sums}. A damaged or half-written
 * entry is fetched again. Needs Debian's apt tools and an up-to-date package list.
 */
public final class DebianCloudKernel {

    /** The meta package that depends on the current cloud kernel. */
    static final String META_PACKAGE = "linux-image-cloud-amd64";

    private static final Pattern KERNEL_PACKAGE = Pattern.compile("Depends:\\s*(linux-image-[0-9][^\\s]*-cloud-amd64)\\s*$", Pattern.MULTILINE);
    private static final Pattern VERSION = Pattern.compile("^Version:\\s*(\\S+)\\s*$", Pattern.MULTILINE);
    private static final String HOW =
            "on Debian run apt-get update and apt-get install -y apt dpkg, or give a kernel directory with -Dmirage.kernel=DIR.";

    private final Path cache;

    private DebianCloudKernel(Path cache) {
        this.cache = cache;
    }

    /** Kernels cached under {@code cache}, for example {@link #defaultCache()}. */
    public static DebianCloudKernel cachedIn(Path cache) {
        return new DebianCloudKernel(cache);
    }

    /** {@code $XDG_CACHE_HOME/mirage4j/kernel}, or {@code ~/.cache/mirage4j/kernel}. */
    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mirage4j/kernel");
    }

    /**
     * The current Debian cloud kernel, from the cache when it is there and intact, else downloaded.
     *
     * @throws ImageException when apt cannot say which kernel is current or cannot fetch it; the message says what to do
     */
    public Kernel fetch() throws IOException {
        String packageName = currentPackage();
        String version = packageVersion(packageName);
        Path entry = cache.resolve(packageName + "_" + version);
        if (intact(entry)) return Kernel.fromTree(entry.resolve("tree"));
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, ".fetch-");
        try {
            Commands.run(work, HOW, "apt-get", "download", "-q", packageName + "=" + version);
            Path deb;
            try (Stream<Path> files = Files.list(work)) {
                deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new ImageException("apt-get download left no .deb file in " + work + "; " + HOW));
            }
            Commands.run(work, HOW, "dpkg-deb", "-x", deb.toString(), "tree");
            Files.delete(deb);
            Files.writeString(work.resolve("sha256sums"), sums(work.resolve("tree")));
            deleteTree(entry);
            try {
                Files.move(work, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(work, entry);
            }
        } finally {
            deleteTree(work);
        }
        return Kernel.fromTree(entry.resolve("tree"));
    }

    /** The name of the kernel package the meta package depends on now, such as {@code linux-image-6.1.0-56-cloud-amd64}. */
    static String currentPackage() throws IOException {
        String depends = Commands.run(Path.of("."), HOW, "apt-cache", "depends", META_PACKAGE);
        return kernelPackage(depends).orElseThrow(() -> new ImageException("apt-cache does not know " + META_PACKAGE + "; " + HOW));
    }

    /** The kernel package named in {@code apt-cache depends} output. */
    static Optional<String> kernelPackage(String aptCacheDepends) {
        Matcher m = KERNEL_PACKAGE.matcher(aptCacheDepends);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String packageVersion(String packageName) throws IOException {
        String show = Commands.run(Path.of("."), HOW, "apt-cache", "show", "--no-all-versions", packageName);
        Matcher m = VERSION.matcher(show);
        if (!m.find()) throw new ImageException("apt-cache show " + packageName + " gives no version; " + HOW);
        return m.group(1);
    }

    /** Whether {@code entry} was completely fetched and no file of it changed since. */
    static boolean intact(Path entry) throws IOException {
        Path recorded = entry.resolve("sha256sums");
        Path tree = entry.resolve("tree");
        if (!Files.isRegularFile(recorded) || !Files.isDirectory(tree)) return false;
        return Files.readString(recorded).equals(sums(tree));
    }

    /** {@code sha256sum}-style lines for every regular file under {@code tree}, sorted by path. */
    static String sums(Path tree) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tree)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
        }
        StringBuilder out = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (Path file : files) {
            out.append(hex.formatHex(sha256(file))).append("  ").append(tree.relativize(file)).append('\n');
        }
        return out.toString();
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) Files.deleteIfExists(p);
    }
}
