package org.mirage4j.block.memory;

import io.netty.buffer.ByteBuf;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Key;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.block.ByteSize;
import org.mirage4j.block.Sectors;

/**
 * A {@link Block} in memory. See the package documentation for the contract.
 *
 * <p>Threads: any thread may call any method, several at once. Requests on overlapping sectors are not ordered
 * against each other (as on a disk); each request is a plain memory copy.
 */
@Singleton
public final class MemoryBlock implements Block {

    /** The sector size of a memory device made from a size key. */
    public static final int SECTOR_SIZE = 512;

    private final String sizeKey;
    private volatile BlockInfo info;
    private volatile MemorySegment memory;
    private volatile boolean connected;

    /**
     * A device of {@code size} bytes (such as {@code 64M}) in 512-byte sectors, allocated by {@link #connect()}.
     */
    @Inject
    MemoryBlock(@Key("block-size") String size) {
        this.sizeKey = size;
    }

    private MemoryBlock(BlockInfo info, MemorySegment memory) {
        this.sizeKey = "";
        this.info = info;
        this.memory = memory;
        this.connected = true;
    }

    /** A zeroed read-write device of {@code sectors} sectors of {@code sectorSize} bytes, already connected. */
    public static MemoryBlock create(int sectorSize, long sectors) {
        BlockInfo info = new BlockInfo(sectorSize, sectors, true);
        return new MemoryBlock(info, Arena.ofAuto().allocate(info.sizeBytes(), 8));
    }

    /**
     * A connected device holding a copy of {@code image}, whose length must be a multiple of {@code sectorSize}.
     *
     * @param readWrite whether the device accepts writes
     */
    public static MemoryBlock of(int sectorSize, byte[] image, boolean readWrite) {
        if (image.length % sectorSize != 0) {
            throw new IllegalArgumentException("An image of " + image.length + " bytes is not a whole number of " + sectorSize + "-byte sectors.");
        }
        BlockInfo info = new BlockInfo(sectorSize, image.length / sectorSize, readWrite);
        MemorySegment memory = Arena.ofAuto().allocate(image.length, 8);
        MemorySegment.copy(image, 0, memory, ValueLayout.JAVA_BYTE, 0, image.length);
        return new MemoryBlock(info, memory);
    }

    /** A copy of the whole device, for tests that inspect or damage an image. */
    public byte[] toByteArray() {
        return memory().toArray(ValueLayout.JAVA_BYTE);
    }

    /** Allocates the memory when the device was made from a size key; reconnecting keeps the contents. */
    @Override
    public void connect() throws IOException {
        if (memory == null) {
            long size;
            try {
                size = ByteSize.parse(sizeKey);
            } catch (IllegalArgumentException e) {
                throw new DeviceException("--block-size: " + e.getMessage(), e);
            }
            BlockInfo made = new BlockInfo(SECTOR_SIZE, (size + SECTOR_SIZE - 1) / SECTOR_SIZE, true);
            try {
                memory = Arena.ofAuto().allocate(made.sizeBytes(), 8);
            } catch (OutOfMemoryError e) {
                throw new DeviceException("A memory block device of " + made.sizeBytes()
                        + " bytes does not fit in this machine's memory; give a smaller --block-size.", e);
            }
            info = made;
        }
        connected = true;
    }

    @Override
    public BlockInfo info() {
        if (info == null) throw new IllegalStateException("The memory block device is not connected yet.");
        return info;
    }

    /** {@inheritDoc} The caller keeps ownership of {@code destination}. */
    @Override
    public void read(long startSector, ByteBuf destination) throws IOException {
        MemorySegment mem = live();
        int length = destination.writableBytes();
        Sectors.checkRange(info, startSector, length, "read");
        ByteBuffer from = mem.asSlice(startSector * info.sectorSize(), length).asByteBuffer();
        destination.writeBytes(from);
    }

    /** {@inheritDoc} The caller keeps ownership of {@code source}. */
    @Override
    public void write(long startSector, ByteBuf source) throws IOException {
        MemorySegment mem = live();
        Sectors.checkWritable(info, "memory");
        int length = source.readableBytes();
        Sectors.checkRange(info, startSector, length, "write");
        ByteBuffer to = mem.asSlice(startSector * info.sectorSize(), length).asByteBuffer();
        source.readBytes(to);
    }

    /** {@inheritDoc} Memory is as durable as it gets once a write returns. */
    @Override
    public void flush() throws IOException {
        live();
    }

    /** Refuses requests until the next {@link #connect()}; the contents stay. */
    @Override
    public void disconnect() {
        connected = false;
    }

    private MemorySegment live() throws ClosedChannelException {
        if (!connected) throw new ClosedChannelException();
        return memory;
    }

    private MemorySegment memory() {
        MemorySegment mem = memory;
        if (mem == null) throw new IllegalStateException("The memory block device is not connected yet.");
        return mem;
    }
}
