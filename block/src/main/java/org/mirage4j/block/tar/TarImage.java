package org.mirage4j.block.tar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds the disk image a {@link TarKvRo} serves: a tar archive of a directory, for {@code package} to call (or a
 * user, as {@code java -cp block.jar:commons-compress.jar:commons-io.jar org.mirage4j.block.tar.TarImage DIR IMAGE}).
 *
 * <p>The archive is POSIX (pax headers for long names and large sizes, UTF-8 names), with entries in sorted
 * order, owner 0:0, modes 0644 and 0755 and the files' own times, so that the same directory gives the same
 * image. Symbolic links are followed; other special files are left out. Its size is a whole number of 512-byte
 * sectors, ready to be a block device.
 */
public final class TarImage {

    private TarImage() {}

    /**
     * Writes the archive of everything under {@code directory} to {@code image}, replacing it.
     *
     * @return the image's size in bytes
     * @throws IOException when the directory cannot be read or the image written
     */
    public static long write(Path directory, Path image) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory; give TarImage the directory to put in the image.");
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.filter(p -> !p.equals(directory)).sorted().toList();
        }
        try (OutputStream file = Files.newOutputStream(image);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(file, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (Path p : paths) {
                String name = directory.relativize(p).toString().replace('\\', '/');
                boolean dir = Files.isDirectory(p);
                if (!dir && !Files.isRegularFile(p)) continue; // sockets, fifos, devices, dangling links
                TarArchiveEntry entry = new TarArchiveEntry(dir ? name + "/" : name);
                entry.setMode(dir ? 040755 : 0100644);
                entry.setUserId(0);
                entry.setGroupId(0);
                entry.setUserName("");
                entry.setGroupName("");
                FileTime modified = Files.getLastModifiedTime(p);
                entry.setModTime(modified);
                if (!dir) entry.setSize(Files.size(p));
                tar.putArchiveEntry(entry);
                if (!dir) Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return Files.size(image);
    }

    /** {@code TarImage DIRECTORY IMAGE}: writes the image and prints its size. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TarImage DIRECTORY IMAGE");
            System.exit(2);
        }
        long size = write(Path.of(args[0]), Path.of(args[1]));
        System.out.println(args[1] + ": " + size + " bytes");
    }
}
