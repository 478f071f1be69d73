package org.mirage4j.virtio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.mirage4j.api.DeviceException;

/**
 * A fixed set of equal buffers in {@link DmaMemory} (packet buffers, request buffers), carved out of
 * as few regions as the memory's largest region allows.
 *
 * <p>The regions are returned to the memory by {@link #close()} once every slot is back: a slot
 * still held (a received frame the stack has not released) keeps them alive until it is given back.
 *
 * <p>Threads: safe for concurrent use.
 */
public final class DmaSlots implements AutoCloseable {

    private final int slotSize;
    private final List<DmaRegion> regions;
    private final ConcurrentLinkedQueue<Slot> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger out = new AtomicInteger();
    private final int count;
    private volatile boolean closing;
    private boolean closed;

    private DmaSlots(int slotSize, int count, List<DmaRegion> regions, List<Slot> slots) {
        this.slotSize = slotSize;
        this.count = count;
        this.regions = regions;
        free.addAll(slots);
    }

    /**
     * Allocates {@code count} slots of {@code slotSize} bytes, each 64-byte aligned.
     *
     * @throws DeviceException when the memory is exhausted
     */
    public static DmaSlots allocate(DmaMemory memory, int slotSize, int count) throws DeviceException {
        int size = (slotSize + 63) & -64;
        long perRegion = memory.maxRegionSize() / size;
        if (perRegion == 0) throw new IllegalArgumentException("A slot of " + size + " bytes is larger than a DMA region.");
        List<DmaRegion> regions = new ArrayList<>();
        List<Slot> slots = new ArrayList<>(count);
        try {
            int made = 0;
            while (made < count) {
                int here = (int) Math.min(perRegion, count - made);
                DmaRegion region = memory.allocate((long) here * size, 64);
                regions.add(region);
                for (int i = 0; i < here; i++) {
                    long offset = (long) i * size;
                    slots.add(new Slot(made + i, region.segment().asSlice(offset, size), region.deviceAddress(offset)));
                }
                made += here;
            }
        } catch (DeviceException | RuntimeException e) {
            regions.forEach(DmaRegion::close);
            throw e;
        }
        return new DmaSlots(size, count, regions, slots);
    }

    /** The bytes of one slot. */
    public int slotSize() {
        return slotSize;
    }

    /** The number of slots. */
    public int count() {
        return count;
    }

    /** Slots taken and not given back. */
    public int inUse() {
        return out.get();
    }

    /** A free slot, or null when all are taken or the slots are closing. */
    public Slot take() {
        if (closing) return null;
        Slot slot = free.poll();
        if (slot != null) out.incrementAndGet();
        return slot;
    }

    /** Gives back a slot that {@link #take()} returned; the last one back after {@link #close()} frees the memory. */
    public void give(Slot slot) {
        free.add(slot);
        if (out.decrementAndGet() == 0 && closing) freeRegions();
    }

    /**
     * Frees the memory now if no slot is taken, or when the last one comes back. Call it once no
     * thread will {@link #take()} any more (the owner's loops have stopped); later takes return null.
     */
    @Override
    public void close() {
        closing = true;
        if (out.get() == 0) freeRegions();
    }

    private synchronized void freeRegions() {
        if (closed) return;
        closed = true;
        regions.forEach(DmaRegion::close);
    }

    /**
     * One buffer.
     *
     * @param index its number, from 0
     * @param segment its memory in the process
     * @param deviceAddress the address the device knows its first byte by
     */
    public record Slot(int index, MemorySegment segment, long deviceAddress) {}
}
