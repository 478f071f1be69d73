package org.mirage4j.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * The contents of an initramfs, written as the kernel reads it: a cpio archive in the "newc"
 * format (Documentation/driver-api/early-userspace/buffer-format.rst), optionally xz-compressed.
 *
 * <p>Paths are relative to the root and use {@code /}; a parent directory is added (mode 0755)
 * for every entry whose parent was not added, and the archive lists every directory before its
 * contents. Entries are kept by path: adding a path again replaces it.
 */
final class Initramfs {

    /** One thing in the archive. */
    sealed interface Entry {
        /** The permission bits, such as {@code 0755}. */
        int permissions();
    }

    record Directory(int permissions) implements Entry {}

    record HostFile(Path source, int permissions) implements Entry {}

    record Content(byte[] bytes, int permissions) implements Entry {}

    record Symlink(String target) implements Entry {
        @Override
        public int permissions() {
            return 0777;
        }
    }

    record CharDevice(int major, int minor, int permissions) implements Entry {}

    private final Map<String, Entry> entries = new TreeMap<>(); // sorted: a parent before its children

    /** Adds a directory. */
    void directory(String path, int permissions) {
        put(path, new Directory(permissions));
    }

    /** Adds the host file {@code source} at {@code path}; its bytes are read when the archive is written. */
    void file(String path, Path source, int permissions) {
        put(path, new HostFile(source, permissions));
    }

    /** Adds a file with {@code bytes} as its contents. */
    void content(String path, byte[] bytes, int permissions) {
        put(path, new Content(bytes.clone(), permissions));
    }

    /** Adds a character device node, such as {@code dev/console} (5, 1). */
    void charDevice(String path, int major, int minor, int permissions) {
        put(path, new CharDevice(major, minor, permissions));
    }

    /**
     * Adds the tree under the host directory {@code source} at {@code path}, keeping file modes and
     * symbolic links, leaving out the files (not directories) that {@code exclude} matches by their
     * path relative to {@code source}.
     */
    void tree(String path, Path source, Predicate<String> exclude) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(source)) {
            all = walk.toList();
        }
        for (Path p : all) {
            String relative = source.relativize(p).toString();
            String target = relative.isEmpty() ? path : path + "/" + relative;
            if (Files.isSymbolicLink(p)) {
                if (!exclude.test(relative)) put(target, new Symlink(Files.readSymbolicLink(p).toString()));
            } else if (Files.isDirectory(p)) {
                put(target, new Directory(permissions(p)));
            } else if (!exclude.test(relative)) {
                put(target, new HostFile(p, permissions(p)));
            }
        }
    }

    /** The bytes of the regular files under {@code prefix} (a path or a directory), before compression. */
    long sizeOf(String prefix) throws IOException {
        long total = 0;
        for (var e : entries.entrySet()) {
            if (!e.getKey().equals(prefix) && !e.getKey().startsWith(prefix + "/")) continue;
            total += switch (e.getValue()) {
                case HostFile f -> Files.size(f.source());
                case Content c -> c.bytes().length;
                default -> 0;
            };
        }
        return total;
    }

    /** Writes the archive, uncompressed, to {@code output}. */
    void write(Path output) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(file, CpioConstants.FORMAT_NEW)) {
            long inode = 1;
            for (var e : entries.entrySet()) {
                writeEntry(cpio, e.getKey(), e.getValue(), inode++);
            }
            cpio.finish();
        }
    }

    /** Compresses the archive {@code archive} into {@code output} as the kernel can unpack it. */
    static void compress(Path archive, Path output, Compression compression) throws IOException {
        try (InputStream in = Files.newInputStream(archive);
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
                OutputStream compressed = switch (compression) {
                    // CRC32: the kernel's xz decoder does not check CRC64 (lib/xz/xz_dec_stream.c).
                    case XZ -> new XZOutputStream(file, new LZMA2Options(LZMA2Options.PRESET_DEFAULT), XZ.CHECK_CRC32);
                    case GZIP -> new GZIPOutputStream(file, 1 << 16);
                    case NONE -> file;
                }) {
            in.transferTo(compressed);
        }
    }

    private static void writeEntry(CpioArchiveOutputStream cpio, String path, Entry entry, long inode) throws IOException {
        CpioArchiveEntry c = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, path);
        c.setInode(inode);
        c.setNumberOfLinks(entry instanceof Directory ? 2 : 1);
        c.setTime(0);
        byte[] inline = null;
        Path source = null;
        switch (entry) {
            case Directory d -> c.setMode(CpioConstants.C_ISDIR | d.permissions());
            case HostFile f -> {
                source = f.source();
                c.setMode(CpioConstants.C_ISREG | f.permissions());
                c.setSize(Files.size(source));
                // The jars keep their time: a CDS or AOT cache made at build time checks it.
                c.setTime(Files.getLastModifiedTime(source).toMillis() / 1000);
            }
            case Content t -> {
                inline = t.bytes();
                c.setMode(CpioConstants.C_ISREG | t.permissions());
                c.setSize(inline.length);
            }
            case Symlink s -> {
                inline = s.target().getBytes(StandardCharsets.UTF_8);
                c.setMode(CpioConstants.C_ISLNK | s.permissions());
                c.setSize(inline.length);
            }
            case CharDevice d -> {
                c.setMode(CpioConstants.C_ISCHR | d.permissions());
                c.setRemoteDeviceMaj(d.major());
                c.setRemoteDeviceMin(d.minor());
            }
        }
        cpio.putArchiveEntry(c);
        if (inline != null) cpio.write(inline);
        if (source != null) {
            try (InputStream in = Files.newInputStream(source)) {
                in.transferTo(cpio);
            }
        }
        cpio.closeArchiveEntry();
    }

    private void put(String path, Entry entry) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("initramfs paths are relative, without empty parts: '" + path + "'");
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0 && !entries.containsKey(path.substring(0, slash))) put(path.substring(0, slash), new Directory(0755));
        entries.put(path, entry);
    }

    private static int permissions(Path p) throws IOException {
        Set<PosixFilePermission> set = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission permission : set) {
            mode |= 1 << (8 - permission.ordinal()); // OWNER_READ is ordinal 0 and bit 8, OTHERS_EXECUTE ordinal 8 and bit 0
        }
        return mode;
    }
}
