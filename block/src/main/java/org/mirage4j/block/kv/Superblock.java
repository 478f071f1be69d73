package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The commit point of the store: which half holds the log, how long the log is, and the checksum chain's value
 * after its last record. Both copies (sectors 0 and 1) hold the same superblock whenever no commit is under way.
 *
 * <pre>
 *  offset  size  field
 *       0     8  magic "M4JKVLOG"
 *       8     4  format version (1)
 *      12     4  sector size
 *      16     8  sectors
 *      24     8  sequence
 *      32     8  generation
 *      40     4  half (0 or 1)
 *      44     4  head: the chain value after the last record
 *      48     8  log end, in bytes from the start of the half
 *      56     4  CRC-32C of bytes 0 to 55
 *      60        zero to the end of the sector
 * </pre>
 *
 * All integers are big-endian.
 *
 * @param sectorSize the sector size the store was formatted with
 * @param sectors the device's sectors when it was formatted (the geometry of the halves)
 * @param sequence the commit counter: one more at every commit
 * @param generation one more at every compaction; every record carries the generation it was written in
 * @param half the half the log is in (0 or 1)
 * @param head the checksum chain's value after the last record (0 for an empty log)
 * @param end the length of the log in bytes, a whole number of sectors
 */
record Superblock(int sectorSize, long sectors, long sequence, long generation, int half, int head, long end) {

    static final byte[] MAGIC = "M4JKVLOG".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Bytes that carry meaning; the rest of the sector is zero. */
    static final int LENGTH = 60;
    private static final int CRC_OFFSET = 56;

    /** How a superblock sector reads. */
    enum Status {
        /** Every byte is zero: nothing was ever written here. */
        EMPTY,
        /** A superblock that passes every check. */
        VALID,
        /** Our magic, but a failed checksum or an impossible field: damaged, or torn by a crash. */
        DAMAGED,
        /** Not ours: no magic, and bytes past where a superblock ends, so not a torn write of one either. */
        FOREIGN,
        /** No magic, but nothing past where a superblock ends: possibly a torn write of one. */
        TORN
    }

    /**
     * A decoded sector.
     *
     * @param status how it reads
     * @param superblock the superblock, when {@code status} is {@code VALID}
     */
    record Read(Status status, Superblock superblock) {}

    Geometry geometry() {
        return new Geometry(sectorSize, sectors);
    }

    /** The superblock of an empty store on {@code geometry}. */
    static Superblock empty(Geometry geometry) {
        return new Superblock(geometry.sectorSize(), geometry.sectors(), 1, 1, 0, 0, 0);
    }

    /** The next commit in the same half: the log now ends at {@code newEnd} with chain value {@code newHead}. */
    Superblock append(long newEnd, int newHead) {
        return new Superblock(sectorSize, sectors, sequence + 1, generation, half, newHead, newEnd);
    }

    /** The next commit after compacting into the other half. */
    Superblock compacted(long newEnd, int newHead) {
        return new Superblock(sectorSize, sectors, sequence + 1, generation + 1, 1 - half, newHead, newEnd);
    }

    /** Writes this superblock as one whole sector at {@code out}'s writer index. */
    void emit(ByteBuf out) {
        int start = out.writerIndex();
        out.writeBytes(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(sectorSize);
        out.writeLong(sectors);
        out.writeLong(sequence);
        out.writeLong(generation);
        out.writeInt(half);
        out.writeInt(head);
        out.writeLong(end);
        out.writeInt(crc(out, start));
        out.writeZero(sectorSize - LENGTH);
    }

    /** Reads the sector {@code in} (its readable bytes). */
    static Read parse(ByteBuf in) {
        int start = in.readerIndex();
        int length = in.readableBytes();
        if (isZero(in, start, length)) return new Read(Status.EMPTY, null);
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.getByte(start + i) != MAGIC[i]) {
                boolean beyond = length > LENGTH && !isZero(in, start + LENGTH, length - LENGTH);
                return new Read(beyond ? Status.FOREIGN : Status.TORN, null);
            }
        }
        if (length < LENGTH || in.getInt(start + CRC_OFFSET) != crc(in, start)) return new Read(Status.DAMAGED, null);
        int version = in.getInt(start + 8);
        int sectorSize = in.getInt(start + 12);
        long sectors = in.getLong(start + 16);
        long sequence = in.getLong(start + 24);
        long generation = in.getLong(start + 32);
        int half = in.getInt(start + 40);
        int head = in.getInt(start + 44);
        long end = in.getLong(start + 48);
        boolean sane = version == VERSION && sectorSize > 0 && Integer.bitCount(sectorSize) == 1 && sectorSize >= LENGTH
                && sectors > 0 && (half == 0 || half == 1) && end >= 0 && end % sectorSize == 0
                && end <= new Geometry(sectorSize, sectors).halfBytes();
        if (!sane) return new Read(Status.DAMAGED, null);
        return new Read(Status.VALID, new Superblock(sectorSize, sectors, sequence, generation, half, head, end));
    }

    private static int crc(ByteBuf buf, int start) {
        CRC32C crc = new CRC32C();
        crc.update(buf.nioBuffer(start, CRC_OFFSET));
        return (int) crc.getValue();
    }

    private static boolean isZero(ByteBuf buf, int from, int length) {
        for (int i = 0; i < length; i++) {
            if (buf.getByte(from + i) != 0) return false;
        }
        return true;
    }
}
