package org.mirage4j.block.file;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.block.ByteSize;

/** Opens (and, when asked, creates) a disk image file, turning each problem a user can fix into one sentence. */
final class BlockFileOpener {

    private static final System.Logger LOG = System.getLogger("block.file");

    private BlockFileOpener() {}

    /**
     * Opens {@code fileText} as a block device of {@code sectorSize}-byte sectors.
     *
     * @param sizeIfMissing the size to create the file with when it does not exist ({@code 64M}), or empty
     * @param readOnly whether to open it read-only even when it is writable
     * @throws DeviceException for a problem the user can fix
     */
    static OpenFile open(String fileText, String sizeIfMissing, boolean readOnly, int sectorSize) throws IOException {
        if (fileText.isBlank()) {
            throw new DeviceException("--block-file is empty; give it the path of a disk image file, such as --block-file=disk.img.");
        }
        Path path = Path.of(fileText);
        if (Files.isDirectory(path)) {
            throw new DeviceException("Block file " + path + " is a directory; give --block-file the path of a disk image file.");
        }
        if (Files.notExists(path)) create(path, sizeIfMissing, sectorSize);
        if (!Files.isRegularFile(path)) {
            throw new DeviceException("Block file " + path + " is not a regular file; give --block-file the path of a disk image file.");
        }

        boolean writable = !readOnly && Files.isWritable(path);
        AsynchronousFileChannel channel = openChannel(path, writable);
        if (channel == null) { // the access check passed but opening for writing did not (a read-only mount, say)
            writable = false;
            channel = openChannel(path, false);
        }
        if (!readOnly && !writable) {
            LOG.log(INFO, "Block file {0} is not writable by this process: the block device is read-only", path);
        }
        try {
            FileLock lock = lock(path, channel, writable);
            long size = channel.size();
            if (size < sectorSize) {
                throw new DeviceException("Block file " + path + " holds " + size + " bytes, less than one " + sectorSize
                        + "-byte sector; give it a size, for example with: truncate -s 64M " + path);
            }
            if (size % sectorSize != 0) {
                LOG.log(WARNING, "Block file {0} is {1} bytes, not a whole number of {2}-byte sectors: its last {3} bytes are not used",
                        path, String.valueOf(size), String.valueOf(sectorSize), String.valueOf(size % sectorSize));
            }
            return new OpenFile(path, channel, lock, new BlockInfo(sectorSize, size / sectorSize, writable));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The channel, or {@code null} when writing is refused; reading refused is the user's to fix. */
    private static AsynchronousFileChannel openChannel(Path path, boolean writable) throws IOException {
        Set<StandardOpenOption> options = writable
                ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE)
                : Set.of(StandardOpenOption.READ);
        try {
            return AsynchronousFileChannel.open(path, options, null);
        } catch (AccessDeniedException e) {
            if (writable) return null;
            throw new DeviceException("Block file " + path + " cannot be read by user " + System.getProperty("user.name", "?")
                    + "; give it read permission (chmod a+r " + path + ") or run as a user who may read it.", e);
        } catch (NoSuchFileException e) {
            throw new DeviceException("Block file " + path + " disappeared while it was being opened; give an existing file.", e);
        }
    }

    private static FileLock lock(Path path, AsynchronousFileChannel channel, boolean writable) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, !writable);
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new DeviceException("Block file " + path + " is in use by another block device (this process or another holds a lock on it); "
                    + "stop that one first, or give another file.");
        }
        return lock;
    }

    /** Creates {@code path} zero-filled (sparse) with {@code sizeText} bytes, rounded up to whole sectors. */
    private static void create(Path path, String sizeText, int sectorSize) throws IOException {
        if (sizeText.isBlank()) {
            throw new DeviceException("Block file " + path + " does not exist; create it (for example: truncate -s 64M " + path
                    + ") or give --block-size=64M to have it created.");
        }
        long size;
        try {
            size = ByteSize.parse(sizeText);
        } catch (IllegalArgumentException e) {
            throw new DeviceException("--block-size: " + e.getMessage(), e);
        }
        size = (size + sectorSize - 1) / sectorSize * sectorSize;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new DeviceException("Block file " + path + " cannot be created because directory " + parent
                    + " does not exist; create the directory first.");
        }
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException raced) {
            return; // someone else made it meanwhile: open theirs
        } catch (AccessDeniedException e) {
            throw new DeviceException("Block file " + path + " cannot be created: user " + System.getProperty("user.name", "?")
                    + " may not write to " + parent + "; create it there yourself or choose another path.", e);
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
            file.getFD().sync();
        }
        syncDirectory(parent);
        LOG.log(INFO, "Created block file {0} of {1} bytes", path, String.valueOf(size));
    }

    /** Makes the new directory entry durable, so that a store formatted on the file does not lose the file itself. */
    private static void syncDirectory(Path directory) {
        if (directory == null) return;
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.log(WARNING, "Could not sync directory {0} after creating a block file in it: {1}", directory, e.toString());
        }
    }

    static void closeQuietly(AsynchronousFileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(WARNING, "Closing a block file failed: {0}", e.toString());
        }
    }
}
