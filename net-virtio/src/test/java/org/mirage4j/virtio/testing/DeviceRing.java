package org.mirage4j.virtio.testing;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.virtio.EventIndex;
import org.mirage4j.virtio.RingMemory;

/**
 * The device's side of one split virtqueue (VIRTIO 1.2 §2.7), in ordinary Java over the memory the
 * driver allocated: takes chains from the available ring, puts them in the used ring, and decides
 * interrupts and notifications as a device does (§2.7.10).
 *
 * <p>Threads: the device's worker thread only.
 */
public final class DeviceRing {

    private static final int F_NEXT = 1;
    private static final int F_WRITE = 2;

    private final SoftwareDmaMemory memory;
    private final int size;
    private final boolean eventIndex;
    private final MemorySegment descriptors;
    private final MemorySegment avail;
    private final MemorySegment used;
    private int lastAvail;
    private int usedIdx;
    private int signalledAt;

    DeviceRing(SoftwareDmaMemory memory, int size, long descriptors, long driverArea, long deviceArea, boolean eventIndex) {
        this.memory = memory;
        this.size = size;
        this.eventIndex = eventIndex;
        this.descriptors = memory.translate(descriptors, 16L * size);
        this.avail = memory.translate(driverArea, 6L + 2L * size);
        this.used = memory.translate(deviceArea, 6L + 8L * size);
    }

    /** The queue's size. */
    public int size() {
        return size;
    }

    /**
     * The next chain the driver made available, or null.
     *
     * @throws IllegalArgumentException when a descriptor points outside DMA memory, loops, or puts
     *     a readable buffer after a writable one (the device then needs a reset)
     */
    public Chain next() {
        int idx = RingMemory.u16(avail, 2);
        VarHandle.acquireFence();
        if (idx == lastAvail) return null;
        int head = RingMemory.u16(avail, 4 + 2L * (lastAvail % size));
        lastAvail = (lastAvail + 1) & 0xFFFF;
        if (head >= size) throw new IllegalArgumentException("available ring names descriptor " + head + " of " + size);
        List<Chain.Buffer> buffers = new ArrayList<>();
        int id = head;
        boolean sawWritable = false;
        for (int n = 0; ; n++) {
            if (n >= size) throw new IllegalArgumentException("descriptor chain from " + head + " loops");
            long at = 16L * id;
            long address = RingMemory.u64(descriptors, at);
            long length = Integer.toUnsignedLong(RingMemory.u32(descriptors, at + 8));
            int flags = RingMemory.u16(descriptors, at + 12);
            int next = RingMemory.u16(descriptors, at + 14);
            boolean writable = (flags & F_WRITE) != 0;
            if (!writable && sawWritable) throw new IllegalArgumentException("readable descriptor after a writable one");
            sawWritable |= writable;
            buffers.add(new Chain.Buffer(memory.translate(address, length), writable));
            if ((flags & F_NEXT) == 0) break;
            if (next >= size) throw new IllegalArgumentException("descriptor " + id + " chains to " + next + " of " + size);
            id = next;
        }
        return new Chain(head, List.copyOf(buffers));
    }

    /** Writes a used element, not yet visible to the driver (see {@link #publish()}). */
    public void push(int id, int length) {
        long at = 4 + 8L * (usedIdx % size);
        RingMemory.u32(used, at, id);
        RingMemory.u32(used, at + 4, length);
        usedIdx = (usedIdx + 1) & 0xFFFF;
    }

    /** Makes the elements pushed so far visible: the release fence, then the used index. */
    public void publish() {
        VarHandle.releaseFence(); // the elements before the index (§2.7.8)
        RingMemory.u16(used, 2, usedIdx);
    }

    /** Moves the used index by {@code by} without writing elements, and publishes it (a broken device). */
    public void jump(int by) {
        usedIdx = (usedIdx + by) & 0xFFFF;
        publish();
    }

    /** Whether the driver wants an interrupt for the elements used since the last call (§2.7.10). */
    public boolean shouldInterrupt() {
        VarHandle.fullFence();
        int old = signalledAt;
        signalledAt = usedIdx;
        if (old == usedIdx) return false;
        if (eventIndex) return EventIndex.needsEvent(RingMemory.u16(avail, 4 + 2L * size), usedIdx, old);
        return (RingMemory.u16(avail, 0) & 1) == 0;
    }

    /**
     * Asks the driver to notify when it makes the next chain available, then says whether chains
     * are already there.
     */
    public boolean armNotifications() {
        if (eventIndex) RingMemory.u16(used, 4 + 8L * size, lastAvail);
        VarHandle.fullFence();
        return RingMemory.u16(avail, 2) != lastAvail;
    }
}
