package org.mirage4j.block.file;

import static java.lang.System.Logger.Level.DEBUG;

import io.netty.buffer.ByteBuf;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.mirage4j.api.Key;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.block.Sectors;

/**
 * A {@link Block} over a disk image file (mirage-block-unix). See the package documentation for the contract.
 *
 * <p>Threads: any thread may call {@link #read}, {@link #write} and {@link #flush}, several at once; each
 * request runs on the JDK's file I/O pool while the caller waits for it. The caller's interrupt status is kept
 * but does not cut a request short: the call returns only once the kernel is done with the caller's buffer.
 */
@Singleton
final class FileBlock implements Block {

    private static final System.Logger LOG = System.getLogger("block.file");

    /** The sector size of a file: what disk images and tar archives use. */
    static final int SECTOR_SIZE = 512;

    private final String fileKey;
    private final String sizeKey;
    private final boolean readOnlyKey;
    private final Object lifecycle = new Object();
    /** The open file; {@code null} before connect and after disconnect. */
    private volatile OpenFile open;

    /**
     * Creates the device; does no I/O (see {@link #connect()}).
     *
     * @param file the disk image's path
     * @param sizeIfMissing the size to create the file with when it does not exist (such as {@code 64M}), or
     *     empty when it must exist
     * @param readOnly whether to open the file read-only even when it is writable
     */
    @Inject
    FileBlock(@Key("block-file") String file, @Key("block-size") String sizeIfMissing, @Key("block-read-only") boolean readOnly) {
        this.fileKey = file;
        this.sizeKey = sizeIfMissing;
        this.readOnlyKey = readOnly;
    }

    /**
     * Opens the file, creating it first when it is missing and {@code --block-size} is given.
     *
     * @throws org.mirage4j.api.DeviceException whose one sentence says what to do, for a missing file, a
     *     directory, no permission, a file in use or a bad size
     * @throws IllegalStateException if already connected
     */
    @Override
    public void connect() throws IOException {
        synchronized (lifecycle) {
            if (open != null) throw new IllegalStateException("Block file " + fileKey + " is already connected.");
            open = BlockFileOpener.open(fileKey, sizeKey, readOnlyKey, SECTOR_SIZE);
            LOG.log(DEBUG, "Opened block file {0}: {1}", open.path(), open.info());
        }
    }

    /** The path the device was given, as given. */
    String file() {
        return fileKey;
    }

    @Override
    public BlockInfo info() {
        OpenFile file = open;
        if (file == null) throw new IllegalStateException("Block file " + fileKey + " is not connected.");
        return file.info();
    }

    /** {@inheritDoc} The caller keeps ownership of {@code destination}. */
    @Override
    public void read(long startSector, ByteBuf destination) throws IOException {
        OpenFile file = opened();
        int length = destination.writableBytes();
        Sectors.checkRange(file.info(), startSector, length, "read");
        long position = startSector * SECTOR_SIZE;
        for (ByteBuffer chunk : destination.nioBuffers(destination.writerIndex(), length)) {
            while (chunk.hasRemaining()) {
                int n = await(file.channel().read(chunk, position));
                if (n < 0) {
                    throw new EOFException("Block file " + file.path() + " became shorter than the " + file.info().sectors()
                            + " sectors it had when it was opened; something else truncated it.");
                }
                position += n;
            }
        }
        destination.writerIndex(destination.writerIndex() + length);
    }

    /** {@inheritDoc} The caller keeps ownership of {@code source}. */
    @Override
    public void write(long startSector, ByteBuf source) throws IOException {
        OpenFile file = opened();
        Sectors.checkWritable(file.info(), file.path().toString());
        int length = source.readableBytes();
        Sectors.checkRange(file.info(), startSector, length, "write");
        long position = startSector * SECTOR_SIZE;
        for (ByteBuffer chunk : source.nioBuffers(source.readerIndex(), length)) {
            while (chunk.hasRemaining()) {
                position += await(file.channel().write(chunk, position));
            }
        }
        source.readerIndex(source.readerIndex() + length);
    }

    /** {@inheritDoc} {@code fsync(2)}: the data and the file's size reach the disk. */
    @Override
    public void flush() throws IOException {
        OpenFile file = opened();
        if (file.info().readWrite()) file.channel().force(true);
    }

    /** Closes the file and releases its lock; requests in flight fail with {@link ClosedChannelException}. */
    @Override
    public void disconnect() {
        synchronized (lifecycle) {
            OpenFile file = open;
            open = null;
            if (file != null) BlockFileOpener.closeQuietly(file.channel());
        }
    }

    private OpenFile opened() throws ClosedChannelException {
        OpenFile file = open;
        if (file == null) throw new ClosedChannelException();
        return file;
    }

    /**
     * Waits for {@code request} without giving up on an interrupt: returning early would leave the kernel
     * writing into (or reading from) a buffer the caller believes is its own again.
     */
    private static int await(Future<Integer> request) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return request.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IOException("A block file request failed.", e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
