package org.mirage4j.block.kv;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.api.kv.KvException;

/**
 * Opens the store at connect: reads the superblock pair, picks the last commit, replays its log, repairs the
 * superblock copy that a crash left behind, or formats a device that is empty.
 *
 * <p>The choice follows from how commits write (see {@link SuperblockWriter}): copy A is written first, copy B
 * second, each followed by a flush, so at rest A and B are equal and during a commit A is one ahead. Hence:
 * <ul>
 *   <li>A and B equal: that is the store; a log that fails its checks is corruption;
 *   <li>A one commit ahead of B: the commit in A may not have reached the device whole; if its log fails its
 *       checks, B (the commit before) is the store;
 *   <li>only one valid: the other was torn by a crash (or damaged), and the valid one is the latest commit;
 *   <li>anything else (B ahead of A, a gap, both damaged) cannot come from a crash: the device is corrupt.
 * </ul>
 * A commit is acknowledged only after both copies are written, so no rule above returns an older state than the
 * last acknowledged one unless both copies are damaged, which is reported as corruption.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger("block.kv");

    /**
     * The store as connect found it.
     *
     * @param superblock the last commit
     * @param index the values it holds
     */
    record Opened(Superblock superblock, KeyIndex index) {}

    private Recovery() {}

    /**
     * @throws DeviceException for a device too small, foreign, empty and read-only, or corrupt (with a
     *     {@link KvException} of reason {@code CORRUPT} as its cause)
     */
    static Opened open(Block block, ByteBufAllocator allocator) throws IOException {
        BlockInfo info = block.info();
        if (info.sectorSize() < Superblock.LENGTH) {
            throw new DeviceException("The block device has " + info.sectorSize() + "-byte sectors, too small for the key-value store; "
                    + "give it a device with sectors of at least 512 bytes.");
        }
        Geometry deviceGeometry = new Geometry(info.sectorSize(), info.sectors());
        if (deviceGeometry.halfSectors() < Geometry.MIN_HALF_SECTORS) {
            throw new DeviceException("The block device has " + info.sectors() + " sectors, too few for the key-value store; "
                    + "give it a device of at least " + (Geometry.SUPERBLOCK_SECTORS + 2 * Geometry.MIN_HALF_SECTORS) + " sectors.");
        }
        Superblock.Read a = readSuperblock(block, allocator, 0);
        Superblock.Read b = readSuperblock(block, allocator, 1);

        List<Superblock> candidates = candidates(a, b);
        if (candidates.isEmpty()) {
            if (blank(a) && blank(b) && halvesEmpty(block, allocator, deviceGeometry)) return format(block, allocator, deviceGeometry);
            if (a.status() == Superblock.Status.DAMAGED || b.status() == Superblock.Status.DAMAGED) {
                throw corrupt("both copies of its superblock are damaged");
            }
            throw new DeviceException("The block device holds something other than a mirage4j key-value store (its first sectors are "
                    + "not empty and carry no store superblock); give the store an empty, zero-filled device, or the one it wrote before.");
        }

        LogCorruptException firstFailure = null;
        for (Superblock candidate : candidates) {
            checkGeometry(candidate, info);
            try {
                KeyIndex index = LogReplay.replay(block, allocator, candidate);
                if (firstFailure != null) {
                    LOG.log(WARNING, "The last commit of the key-value store did not reach the device whole ({0}); "
                            + "the store is as it was before it", firstFailure.getMessage());
                }
                repair(block, allocator, candidate, a, b);
                return new Opened(candidate, index);
            } catch (LogCorruptException e) {
                if (firstFailure == null) firstFailure = e;
            }
        }
        throw corrupt(firstFailure.getMessage());
    }

    /** The superblocks to try, newest first; empty when none is valid. */
    private static List<Superblock> candidates(Superblock.Read a, Superblock.Read b) throws DeviceException {
        Superblock sa = a.superblock();
        Superblock sb = b.superblock();
        List<Superblock> out = new ArrayList<>();
        if (sa != null && sb != null) {
            if (sa.equals(sb)) {
                out.add(sa);
            } else if (sa.sequence() == sb.sequence() + 1) {
                out.add(sa);
                out.add(sb);
            } else {
                throw corrupt("its two superblock copies disagree (commits " + sa.sequence() + " and " + sb.sequence() + ")");
            }
        } else if (sa != null) {
            out.add(sa);
        } else if (sb != null) {
            out.add(sb);
        }
        return out;
    }

    /** A superblock sector that is empty or could be a torn first write of one: what a crash during format leaves. */
    private static boolean blank(Superblock.Read read) {
        return switch (read.status()) {
            case EMPTY, TORN, DAMAGED -> true;
            case VALID, FOREIGN -> false;
        };
    }

    /**
     * Whether the first sector of each half is zero. A store with any value has a record there in the half it
     * uses, so a device with no valid superblock and empty halves has nothing to lose by being formatted.
     */
    private static boolean halvesEmpty(Block block, ByteBufAllocator allocator, Geometry geometry) throws IOException {
        for (int half = 0; half < 2; half++) {
            ByteBuf sector = allocator.buffer(geometry.sectorSize(), geometry.sectorSize());
            try {
                block.read(geometry.halfStartSector(half), sector);
                for (int i = 0; i < sector.readableBytes(); i++) {
                    if (sector.getByte(i) != 0) return false;
                }
            } finally {
                sector.release();
            }
        }
        return true;
    }

    private static void checkGeometry(Superblock superblock, BlockInfo info) throws DeviceException {
        if (superblock.sectorSize() != info.sectorSize()) {
            throw new DeviceException("The key-value store on the block device was made with " + superblock.sectorSize()
                    + "-byte sectors, but the device now has " + info.sectorSize() + "-byte sectors; give it the device it was made on.");
        }
        if (superblock.sectors() > info.sectors()) {
            throw new DeviceException("The key-value store on the block device was made on " + superblock.sectors()
                    + " sectors, but the device now has only " + info.sectors() + "; give it back its full size (it was truncated).");
        }
    }

    private static Opened format(Block block, ByteBufAllocator allocator, Geometry geometry) throws IOException {
        if (!block.info().readWrite()) {
            throw new DeviceException("The block device is empty and read-only, so no key-value store can be made on it; "
                    + "give the store a writable device.");
        }
        Superblock empty = Superblock.empty(geometry);
        SuperblockWriter.commit(block, allocator, empty);
        LOG.log(INFO, "Made an empty key-value store on the block device ({0} bytes of log)", String.valueOf(geometry.halfBytes()));
        return new Opened(empty, new KeyIndex());
    }

    /** Makes both copies equal to {@code chosen} again, each write leaving the other copy valid. */
    private static void repair(Block block, ByteBufAllocator allocator, Superblock chosen, Superblock.Read a, Superblock.Read b)
            throws IOException {
        boolean aGood = chosen.equals(a.superblock());
        boolean bGood = chosen.equals(b.superblock());
        if (aGood && bGood) return;
        if (!block.info().readWrite()) {
            LOG.log(WARNING, "The key-value store's superblock copies differ, and the device is read-only: not repaired");
            return;
        }
        if (!aGood) SuperblockWriter.write(block, allocator, 0, chosen);
        if (!bGood) SuperblockWriter.write(block, allocator, 1, chosen);
        LOG.log(INFO, "Repaired the key-value store''s superblock after an interrupted commit");
    }

    private static Superblock.Read readSuperblock(Block block, ByteBufAllocator allocator, long sector) throws IOException {
        int size = block.info().sectorSize();
        ByteBuf buf = allocator.buffer(size, size);
        try {
            block.read(sector, buf);
            return Superblock.parse(buf);
        } finally {
            buf.release();
        }
    }

    static DeviceException corrupt(String detail) {
        KvException cause = new KvException(KvException.Reason.CORRUPT, org.mirage4j.api.kv.KvKey.ROOT,
                "The key-value store is corrupt: " + detail + ".");
        return new DeviceException("The key-value store on the block device is damaged (" + detail
                + "); restore the device from a backup, or give the store a zero-filled device to start empty.", cause);
    }
}
