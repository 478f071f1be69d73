package org.mirage4j.block.tar;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import org.mirage4j.api.block.Block;

/**
 * A block device read from its first byte on as an {@link InputStream}, a chunk of whole sectors at a time;
 * {@link #skip} moves on without reading. {@link #position()} is the offset of the next byte, which is how the
 * index learns where each entry's data starts. One thread at a time; {@link #close()} releases the chunk buffer.
 */
final class BlockInputStream extends InputStream {

    private final Block block;
    private final long size;
    private final int sectorSize;
    private final ByteBuf chunk;
    private long chunkStart = -1;
    private long position;
    private boolean closed;

    BlockInputStream(Block block, ByteBufAllocator allocator, int chunkBytes) {
        this.block = block;
        this.size = block.info().sizeBytes();
        this.sectorSize = block.info().sectorSize();
        this.chunk = allocator.buffer(chunkBytes, chunkBytes);
    }

    long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (position >= size) return -1;
        fill();
        int offset = (int) (position - chunkStart);
        int n = Math.min(len, chunk.writerIndex() - offset);
        chunk.getBytes(offset, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, size - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        if (chunkStart < 0 || position < chunkStart || position >= chunkStart + chunk.writerIndex()) return 0;
        return (int) (chunkStart + chunk.writerIndex() - position);
    }

    private void fill() throws IOException {
        if (chunkStart >= 0 && position >= chunkStart && position < chunkStart + chunk.writerIndex()) return;
        long start = position - position % sectorSize;
        int bytes = (int) Math.min(chunk.capacity(), size - start);
        chunkStart = -1;
        chunk.clear();
        block.read(start / sectorSize, chunk.slice(0, bytes).clear());
        chunk.writerIndex(bytes);
        chunkStart = start;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            chunk.release();
        }
    }
}
