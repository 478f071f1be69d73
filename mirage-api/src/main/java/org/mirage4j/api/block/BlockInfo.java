package org.mirage4j.api.block;

/**
 * What a block device is.
 *
 * @param sectorSize bytes per sector, a power of two, usually 512
 * @param sectors the number of sectors
 * @param readWrite whether {@link Block#write} is allowed
 */
public record BlockInfo(int sectorSize, long sectors, boolean readWrite) {

    public BlockInfo {
        if (sectorSize <= 0 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("A sector size is a power of two, not " + sectorSize + ".");
        }
        if (sectors < 0) throw new IllegalArgumentException("A device has no negative number of sectors.");
    }

    /** The device's size in bytes. */
    public long sizeBytes() {
        return sectors * sectorSize;
    }
}
