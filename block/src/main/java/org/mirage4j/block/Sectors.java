package org.mirage4j.block;

import java.nio.file.AccessDeniedException;
import org.mirage4j.api.block.BlockInfo;

/** The checks every block device makes before a request touches a sector. */
public final class Sectors {

    private Sectors() {}

    /**
     * Checks that {@code bytes} from {@code startSector} are whole sectors inside the device, and
     * returns how many sectors they are.
     *
     * @param what {@code "read"} or {@code "write"}, for the message
     * @throws IllegalArgumentException when they are not
     */
    public static long checkRange(BlockInfo info, long startSector, long bytes, String what) {
        int sectorSize = info.sectorSize();
        if (bytes % sectorSize != 0) {
            throw new IllegalArgumentException("A " + what + " of " + bytes + " bytes is not a whole number of "
                    + sectorSize + "-byte sectors; round the buffer to a multiple of the sector size.");
        }
        long count = bytes / sectorSize;
        if (startSector < 0 || startSector > info.sectors() || count > info.sectors() - startSector) {
            throw new IllegalArgumentException("A " + what + " of " + count + " sectors from sector " + startSector
                    + " runs past the end of a device of " + info.sectors() + " sectors.");
        }
        return count;
    }

    /**
     * Checks that a write is allowed on the device.
     *
     * @param device a name for the message, such as the file's path
     * @throws AccessDeniedException when the device is read-only
     */
    public static void checkWritable(BlockInfo info, String device) throws AccessDeniedException {
        if (!info.readWrite()) {
            throw new AccessDeniedException(device, null, "the block device is read-only");
        }
    }
}
