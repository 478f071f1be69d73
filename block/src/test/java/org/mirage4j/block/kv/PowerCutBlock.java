package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.block.memory.MemoryBlock;
import org.mirage4j.testing.Gen;

/**
 * A block device with a volatile write cache that loses power after a given number of writes: the decorator
 * the crash tests run the store on.
 *
 * <p>Until the cut it behaves like the memory device it wraps. Writes since the last flush are remembered; the
 * write that reaches the limit, and every request after it, fails as if the machine had stopped. What the disk
 * then holds ({@link #imageAfterCut}) is everything flushed, plus any subset of the unflushed writes, sector by
 * sector, with one sector possibly torn (part new bytes, part old): what a disk without power-loss protection may
 * keep, which is more hostile than most.
 */
final class PowerCutBlock implements Block {

    private final MemoryBlock memory;
    private final long writesBeforeCut;
    private final List<Pending> pending = new ArrayList<>();
    private long writes;
    private boolean cut;

    /** A write not yet flushed: where, what it wrote, and what was there before. */
    private record Pending(long sector, byte[] written, byte[] before) {}

    /**
     * @param writesBeforeCut how many writes succeed; the next one cuts the power
     */
    PowerCutBlock(MemoryBlock memory, long writesBeforeCut) {
        this.memory = memory;
        this.writesBeforeCut = writesBeforeCut;
    }

    /** Whether the power was cut. */
    synchronized boolean isCut() {
        return cut;
    }

    @Override
    public BlockInfo info() {
        return memory.info();
    }

    @Override
    public synchronized void read(long startSector, ByteBuf destination) throws IOException {
        checkPower();
        memory.read(startSector, destination);
    }

    @Override
    public synchronized void write(long startSector, ByteBuf source) throws IOException {
        checkPower();
        if (writes++ == writesBeforeCut) {
            cut = true;
            checkPower();
        }
        int length = source.readableBytes();
        byte[] written = new byte[length];
        source.getBytes(source.readerIndex(), written);
        int sectorSize = memory.info().sectorSize();
        org.mirage4j.block.Sectors.checkRange(memory.info(), startSector, length, "write");
        byte[] before = readRaw(startSector, length / sectorSize);
        memory.write(startSector, source);
        pending.add(new Pending(startSector, written, before));
    }

    @Override
    public synchronized void flush() throws IOException {
        checkPower();
        pending.clear();
    }

    private void checkPower() throws IOException {
        if (cut) throw new IOException("the power is cut");
    }

    /**
     * What the disk holds after the cut: the flushed state plus, for each sector an unflushed write touched, in
     * the order written, that write's bytes or not; and one of those sectors possibly torn.
     */
    synchronized byte[] imageAfterCut(Gen gen) throws IOException {
        int sectorSize = memory.info().sectorSize();
        byte[] image = memory.toByteArray();
        for (int i = pending.size() - 1; i >= 0; i--) { // undo every unflushed write: the flushed state
            Pending p = pending.get(i);
            System.arraycopy(p.before(), 0, image, (int) (p.sector() * sectorSize), p.before().length);
        }
        for (Pending p : pending) {
            for (int s = 0; s < p.written().length / sectorSize; s++) {
                if (gen.bool()) {
                    System.arraycopy(p.written(), s * sectorSize, image, (int) ((p.sector() + s) * sectorSize), sectorSize);
                }
            }
        }
        if (!pending.isEmpty() && gen.intBetween(0, 2) == 0) { // tear one sector of one unflushed write
            Pending p = gen.oneOf(pending);
            int s = gen.intBetween(0, p.written().length / sectorSize - 1);
            int split = gen.intBetween(1, sectorSize - 1);
            int at = (int) ((p.sector() + s) * sectorSize);
            byte[] newer = java.util.Arrays.copyOfRange(p.written(), s * sectorSize, (s + 1) * sectorSize);
            if (gen.bool()) {
                System.arraycopy(newer, 0, image, at, split); // the start landed, the rest did not
            } else {
                System.arraycopy(newer, split, image, at + split, sectorSize - split);
            }
        }
        return image;
    }

    private byte[] readRaw(long startSector, int sectors) throws IOException {
        int sectorSize = memory.info().sectorSize();
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(sectors * sectorSize, sectors * sectorSize);
        try {
            memory.read(startSector, buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.getBytes(0, out);
            return out;
        } finally {
            buf.release();
        }
    }
}
