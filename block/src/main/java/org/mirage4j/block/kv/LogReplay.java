package org.mirage4j.block.kv;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;

/**
 * Rebuilds the index from the log a superblock points at: reads every record from the start of the half to the
 * log's end, checks each against the checksum chain and the generation, and applies it. Reads at most one half
 * of the device, once, in chunks: recovery time is bounded by the half's size.
 */
final class LogReplay {

    /** Read this much of the log at a time. */
    static final int CHUNK_BYTES = 64 * 1024;

    private LogReplay() {}

    /**
     * The index of the log {@code superblock} commits.
     *
     * @throws LogCorruptException when any record fails a check, the chain does not end at the superblock's head,
     *     or a record makes a change the store would have refused
     */
    static KeyIndex replay(Block block, ByteBufAllocator allocator, Superblock superblock) throws IOException {
        Geometry geometry = superblock.geometry();
        KeyIndex index = new KeyIndex();
        long halfStart = geometry.halfStartByte(superblock.half());
        int chunk = (int) Math.min(CHUNK_BYTES, geometry.roundUp(Math.max(superblock.end(), 1)));
        try (DeviceReader in = new DeviceReader(block, allocator, geometry.halfStartSector(superblock.half()),
                geometry.halfBytes(), chunk)) {
            long position = 0;
            int chain = 0;
            while (position < superblock.end()) {
                in.seek(position);
                int previous = chain;
                RecordReader.Checked record = RecordReader.read(in, superblock.end() - position, previous, position, null);
                RecordHeader header = record.header();
                if (header.span() > superblock.end() - position) {
                    throw new LogCorruptException("the record at log byte " + position + " runs past the end of the log");
                }
                if (header.generation() != superblock.generation()) {
                    throw new LogCorruptException("the record at log byte " + position + " belongs to generation "
                            + header.generation() + ", not " + superblock.generation());
                }
                apply(index, record, new Location(halfStart + position, previous, header.keyLength(),
                        (int) header.auxLength(), header.modified()), position);
                chain = record.crc();
                position += header.span();
            }
            if (chain != superblock.head()) {
                throw new LogCorruptException("the log does not end with the record its superblock names");
            }
        }
        return index;
    }

    private static void apply(KeyIndex index, RecordReader.Checked record, Location location, long position)
            throws LogCorruptException {
        KvKey key = KeyCodec.decode(record.key(), position);
        try {
            switch (record.header().type()) {
                case PUT -> {
                    index.checkPut(key);
                    index.put(key, location);
                }
                case DELETE -> index.removeTree(key);
                case RENAME -> {
                    KvKey destination = KeyCodec.decode(record.destination(), position);
                    index.checkRename(key, destination);
                    index.rename(key, destination);
                }
            }
        } catch (KvException e) {
            throw new LogCorruptException("the record at log byte " + position + " makes a change the store refuses ("
                    + e.getMessage() + ")");
        }
    }
}
