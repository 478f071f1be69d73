package org.mirage4j.block.kv;

/**
 * Where things are on the device: the superblock pair in sectors 0 (A) and 1 (B), then the log area split into
 * two halves of equal size. The store is always in one half; compaction copies it into the other.
 *
 * <pre>
 *  sector 0   1   2 ..................... 2+h ..................... 2+2h
 *        | A | B |        half 0          |        half 1          | (unused sector when odd)
 * </pre>
 *
 * @param sectorSize bytes per sector
 * @param sectors the number of sectors the store was formatted with
 */
record Geometry(int sectorSize, long sectors) {

    /** Sectors taken by the superblock pair. */
    static final long SUPERBLOCK_SECTORS = 2;
    /** The smallest half that is of any use: a handful of small records. */
    static final long MIN_HALF_SECTORS = 4;

    /** The sectors of each half. */
    long halfSectors() {
        return (sectors - SUPERBLOCK_SECTORS) / 2;
    }

    /** The bytes of each half: the most log a store can have. */
    long halfBytes() {
        return halfSectors() * sectorSize;
    }

    /** The first sector of {@code half} (0 or 1). */
    long halfStartSector(int half) {
        return SUPERBLOCK_SECTORS + half * halfSectors();
    }

    /** The byte offset on the device of the first byte of {@code half}. */
    long halfStartByte(int half) {
        return halfStartSector(half) * sectorSize;
    }

    /** {@code bytes} rounded up to whole sectors. */
    long roundUp(long bytes) {
        return (bytes + sectorSize - 1) / sectorSize * sectorSize;
    }
}
