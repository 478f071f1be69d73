package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mirage4j.api.block.Block;

/**
 * Reads a region of a block device as a stream of bytes, a chunk of whole sectors at a time. Seeking within
 * the chunk in hand reads nothing. Used by one thread at a time; {@link #close()} releases the chunk buffer.
 */
final class DeviceReader implements AutoCloseable {

    /** Receives bytes; the slice is valid only during the call, and the reader keeps ownership of it. */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuf slice) throws IOException;
    }

    private final Block block;
    private final long baseSector;
    private final long regionBytes;
    private final int sectorSize;
    private final ByteBuf chunk;
    /** The region offset of the chunk's first byte; -1 while the chunk holds nothing. */
    private long chunkStart = -1;
    private long position;

    /**
     * @param baseSector the region's first sector
     * @param regionBytes the region's length, a whole number of sectors
     * @param chunkBytes how much to read at once, a whole number of sectors
     */
    DeviceReader(Block block, ByteBufAllocator allocator, long baseSector, long regionBytes, int chunkBytes) {
        this.block = block;
        this.baseSector = baseSector;
        this.regionBytes = regionBytes;
        this.sectorSize = block.info().sectorSize();
        this.chunk = allocator.buffer(chunkBytes, chunkBytes);
    }

    /** The offset in the region of the next byte to read. */
    long position() {
        return position;
    }

    void seek(long newPosition) {
        if (newPosition < 0 || newPosition > regionBytes) throw new IllegalArgumentException("position " + newPosition + " is outside the region");
        position = newPosition;
    }

    /** Passes the next {@code length} bytes to {@code sink}, in one or more slices. */
    void read(long length, Sink sink) throws IOException {
        if (length > regionBytes - position) throw new IllegalArgumentException("a read of " + length + " bytes runs past the region");
        while (length > 0) {
            fill();
            int offset = (int) (position - chunkStart);
            int n = (int) Math.min(length, chunk.writerIndex() - offset);
            sink.accept(chunk.slice(offset, n));
            position += n;
            length -= n;
        }
    }

    /** The next {@code length} bytes, copied. */
    byte[] readBytes(int length) throws IOException {
        byte[] out = new byte[length];
        int[] at = {0};
        read(length, slice -> {
            int n = slice.readableBytes();
            slice.getBytes(slice.readerIndex(), out, at[0], n);
            at[0] += n;
        });
        return out;
    }

    /** Makes the chunk hold the byte at {@link #position}. */
    private void fill() throws IOException {
        if (chunkStart >= 0 && position >= chunkStart && position < chunkStart + chunk.writerIndex()) return;
        long start = position - position % sectorSize;
        int bytes = (int) Math.min(chunk.capacity(), regionBytes - start);
        chunkStart = -1; // in case the read fails half-way
        chunk.clear();
        block.read(baseSector + start / sectorSize, chunk.slice(0, bytes).clear());
        chunk.writerIndex(bytes);
        chunkStart = start;
    }

    @Override
    public void close() {
        chunk.release();
    }
}
