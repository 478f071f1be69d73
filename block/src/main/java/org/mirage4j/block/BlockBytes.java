package org.mirage4j.block;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mirage4j.api.block.Block;

/** Byte ranges of a block device that need not start or end on a sector boundary. */
public final class BlockBytes {

    private BlockBytes() {}

    /**
     * Reads {@code length} bytes from byte {@code offset} of {@code block}: the sectors that hold them are read
     * into one buffer, of which the range is a slice.
     *
     * @return a buffer the caller owns and must release, with exactly {@code length} readable bytes
     * @throws IllegalArgumentException when the range runs past the end of the device
     */
    public static ByteBuf read(Block block, ByteBufAllocator allocator, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("offset and length must not be negative");
        int sectorSize = block.info().sectorSize();
        long first = offset / sectorSize;
        long end = offset + length;
        long last = (end + sectorSize - 1) / sectorSize; // exclusive
        long bytes = (last - first) * sectorSize;
        if (bytes > Integer.MAX_VALUE - sectorSize) {
            throw new IllegalArgumentException("A range of " + length + " bytes is too long to read into one buffer.");
        }
        ByteBuf sectors = allocator.buffer((int) bytes, (int) bytes);
        try {
            block.read(first, sectors);
            // The slice keeps the sectors' buffer alive; releasing the slice releases it.
            ByteBuf range = sectors.retainedSlice((int) (offset - first * sectorSize), length);
            return range;
        } finally {
            sectors.release();
        }
    }
}
