package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mirage4j.api.block.Block;

/**
 * Writes a stream of bytes into a region of a block device from a sector boundary on, a chunk of whole sectors
 * at a time; {@link #finish()} pads the last sector with zeros. Nothing is flushed here. Used by one thread at a
 * time; {@link #close()} releases the chunk buffer.
 */
final class DeviceWriter implements AutoCloseable {

    private final Block block;
    private final long baseSector;
    private final long regionBytes;
    private final int sectorSize;
    private final ByteBuf chunk;
    /** The region offset of the chunk's first byte. */
    private long chunkStart;

    /**
     * @param baseSector the region's first sector
     * @param regionBytes the region's length, a whole number of sectors
     * @param start where to start writing in the region, a sector boundary
     * @param chunkBytes how much to write at once, a whole number of sectors
     */
    DeviceWriter(Block block, ByteBufAllocator allocator, long baseSector, long regionBytes, long start, int chunkBytes) {
        this.block = block;
        this.baseSector = baseSector;
        this.regionBytes = regionBytes;
        this.sectorSize = block.info().sectorSize();
        if (start % sectorSize != 0) throw new IllegalArgumentException("a write must start on a sector boundary");
        this.chunkStart = start;
        this.chunk = allocator.buffer(chunkBytes, chunkBytes);
    }

    /** The region offset of the next byte written. */
    long position() {
        return chunkStart + chunk.writerIndex();
    }

    /** Appends the readable bytes of {@code source} without changing its indices; the caller keeps ownership. */
    void write(ByteBuf source) throws IOException {
        int from = source.readerIndex();
        int remaining = source.readableBytes();
        while (remaining > 0) {
            int n = Math.min(remaining, chunk.writableBytes());
            checkRoom(n);
            chunk.writeBytes(source, from, n);
            from += n;
            remaining -= n;
            if (!chunk.isWritable()) writeChunk();
        }
    }

    void write(byte[] bytes) throws IOException {
        int from = 0;
        while (from < bytes.length) {
            int n = Math.min(bytes.length - from, chunk.writableBytes());
            checkRoom(n);
            chunk.writeBytes(bytes, from, n);
            from += n;
            if (!chunk.isWritable()) writeChunk();
        }
    }

    /** Appends {@code count} zero bytes. */
    void writeZeros(long count) throws IOException {
        while (count > 0) {
            int n = (int) Math.min(count, chunk.writableBytes());
            checkRoom(n);
            chunk.writeZero(n);
            count -= n;
            if (!chunk.isWritable()) writeChunk();
        }
    }

    /** Pads to the next sector boundary with zeros, writes what is left, and returns the region offset reached. */
    long finish() throws IOException {
        int partial = (int) (position() % sectorSize);
        if (partial != 0) writeZeros(sectorSize - partial);
        if (chunk.isReadable()) writeChunk();
        return chunkStart;
    }

    private void checkRoom(int bytes) {
        if (position() + bytes > regionBytes) throw new IllegalStateException("the write runs past the region: the caller did not check for room");
    }

    private void writeChunk() throws IOException {
        int bytes = chunk.readableBytes();
        block.write(baseSector + chunkStart / sectorSize, chunk);
        chunkStart += bytes;
        chunk.clear();
    }

    @Override
    public void close() {
        chunk.release();
    }
}
