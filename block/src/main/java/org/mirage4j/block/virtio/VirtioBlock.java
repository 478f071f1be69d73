package org.mirage4j.block.virtio;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBuf;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.block.Sectors;
import org.mirage4j.virtio.VirtioBus;

/**
 * A {@link Block} over a virtio-blk device (VIRTIO 1.2 §5.2, or legacy), driven from Java through
 * a {@link VirtioBus}: the first block device of the bus no driver has claimed.
 *
 * <p>The sector size is the device's logical block size (VIRTIO_BLK_F_BLK_SIZE) or 512; the device
 * is read-only when it says so (VIRTIO_BLK_F_RO). Reads and writes larger than one request are
 * split into requests of at most 128 KiB, or less when the device's seg_max and size_max say so.
 * {@link #flush()} sends a FLUSH request when the device has a write cache (VIRTIO_BLK_F_FLUSH);
 * a device without one completes writes only once they are durable (§5.2.6.2), so there it
 * returns at once.
 *
 * <p>Threads: any thread may call any method, several at once (virtual threads welcome: a caller
 * waits for its request without holding a carrier); requests on overlapping sectors are not
 * ordered against each other, as on a disk. A completion thread started by {@link #connect()}
 * wakes the callers.
 */
@Singleton
public final class VirtioBlock implements Block {

    private static final System.Logger LOG = System.getLogger("block.virtio");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final VirtioBus bus;
    private final Object lifecycle = new Object();
    private volatile BlkSession session;
    private volatile BlockInfo info;

    /** Creates the driver; does no I/O (see {@link #connect()}). */
    @Inject
    public VirtioBlock(VirtioBus bus) {
        this.bus = bus;
    }

    /**
     * Claims the bus's first unclaimed block device and negotiates its features. Called once, or
     * again after {@link #disconnect()} (the bus then hands out the same device if it is the only one).
     *
     * @throws org.mirage4j.api.DeviceException when the bus has no block device, or the device refuses the driver
     * @throws IllegalStateException if already connected
     */
    @Override
    public void connect() throws IOException {
        synchronized (lifecycle) {
            if (session != null) throw new IllegalStateException("The virtio-blk device is already connected.");
            BlkSession opened = BlkSession.open(bus.claim(VirtioBus.BLOCK), bus.memory());
            info = opened.info;
            session = opened;
        }
    }

    /**
     * Resets the device and fails the requests still in flight with an {@link IOException}; later
     * requests fail too. Idempotent; never throws.
     */
    @Override
    public void disconnect() {
        BlkSession closing;
        synchronized (lifecycle) {
            closing = session;
            if (closing == null) return;
            session = null;
        }
        if (closing.close(CLOSE_WAIT)) {
            LOG.log(INFO, "virtio-blk device disconnected");
        } else {
            LOG.log(WARNING, "The virtio-blk device is still in use {0} s after disconnect; the last request will free its memory",
                    CLOSE_WAIT.toSeconds());
        }
    }

    /**
     * {@inheritDoc} After {@link #disconnect()}, what the device was.
     *
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public BlockInfo info() {
        BlockInfo i = info;
        if (i == null) throw new IllegalStateException("The virtio-blk device is not connected yet.");
        return i;
    }

    /**
     * {@inheritDoc} The caller keeps ownership of {@code destination}; its writer index moves only
     * when the whole read succeeded.
     *
     * @throws IOException when the device reports an error, fails, or is disconnected
     */
    @Override
    public void read(long startSector, ByteBuf destination) throws IOException {
        BlkSession s = live();
        int bytes = destination.writableBytes();
        Sectors.checkRange(s.info, startSector, bytes, "read");
        int base = destination.writerIndex();
        int sectorSize = s.info.sectorSize();
        for (int done = 0; done < bytes; ) {
            int n = Math.min(s.chunkBytes(), bytes - done);
            int at = done;
            long sector = startSector + done / sectorSize;
            s.execute(BlkConfig.T_IN, virtioSector(s, sector), n, null,
                    data -> destination.setBytes(base + at, data.asByteBuffer()), describe("a read", n, sectorSize, sector));
            done += n;
        }
        destination.writerIndex(base + bytes);
    }

    /**
     * {@inheritDoc} The caller keeps ownership of {@code source}; its reader index moves only when
     * the whole write succeeded.
     *
     * @throws IOException when the device reports an error, fails, or is disconnected
     */
    @Override
    public void write(long startSector, ByteBuf source) throws IOException {
        BlkSession s = live();
        Sectors.checkWritable(s.info, "virtio-blk");
        int bytes = source.readableBytes();
        Sectors.checkRange(s.info, startSector, bytes, "write");
        int base = source.readerIndex();
        int sectorSize = s.info.sectorSize();
        for (int done = 0; done < bytes; ) {
            int n = Math.min(s.chunkBytes(), bytes - done);
            int at = done;
            long sector = startSector + done / sectorSize;
            s.execute(BlkConfig.T_OUT, virtioSector(s, sector), n, data -> source.getBytes(base + at, data.asByteBuffer()), null,
                    describe("a write", n, sectorSize, sector));
            done += n;
        }
        source.readerIndex(base + bytes);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException when the device reports an error, fails, or is disconnected
     */
    @Override
    public void flush() throws IOException {
        BlkSession s = live();
        if (!s.device.has(BlkConfig.F_FLUSH)) return; // write-through: completed writes are durable
        s.execute(BlkConfig.T_FLUSH, 0, 0, null, null, "a flush");
    }

    private BlkSession live() throws IOException {
        BlkSession s = session;
        if (s == null) {
            if (info == null) throw new IllegalStateException("The virtio-blk device is not connected yet.");
            throw new ClosedChannelException();
        }
        return s;
    }

    private static long virtioSector(BlkSession s, long sector) {
        return sector * (s.info.sectorSize() / BlkConfig.VIRTIO_SECTOR);
    }

    private static String describe(String kind, int bytes, int sectorSize, long sector) {
        return kind + " of " + bytes / sectorSize + " sectors from sector " + sector;
    }

    @Override
    public String toString() {
        return "VirtioBlock";
    }
}
