package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mirage4j.api.block.Block;

/**
 * Commits a superblock: copy A (sector 0), flush, copy B (sector 1), flush. The first flush also makes durable
 * the records written before it; the second makes the commit survive damage to either copy. See
 * {@link Recovery} for why this order is enough.
 */
final class SuperblockWriter {

    private SuperblockWriter() {}

    /** Writes both copies, each followed by a flush; returns once the commit is durable. */
    static void commit(Block block, ByteBufAllocator allocator, Superblock superblock) throws IOException {
        write(block, allocator, 0, superblock);
        write(block, allocator, 1, superblock);
    }

    /** Writes one copy (sector 0 or 1) and flushes. */
    static void write(Block block, ByteBufAllocator allocator, long sector, Superblock superblock) throws IOException {
        int size = block.info().sectorSize();
        ByteBuf buf = allocator.buffer(size, size);
        try {
            superblock.emit(buf);
            block.write(sector, buf);
        } finally {
            buf.release();
        }
        block.flush();
    }
}
