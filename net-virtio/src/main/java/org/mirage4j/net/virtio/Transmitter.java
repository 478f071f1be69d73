package org.mirage4j.net.virtio;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.mirage4j.virtio.DmaSlots;
import org.mirage4j.virtio.UseGate;
import org.mirage4j.virtio.VirtioDevice;
import org.mirage4j.virtio.Virtqueue;

/**
 * The transmit side of a virtio-net device. A frame is written by its filler straight into a
 * transmit buffer (a pool slot: a zeroed virtio_net_hdr, then the frame), which goes to the device
 * without a copy and back to the pool when the device gives it back. Once the stack turned offloads
 * on, the filler finds the header in front of its buffer's reader index and may ask for a checksum or
 * a segmentation there; before, the header stays zero (no offload).
 *
 * <p>When every buffer is with the device, a writer takes back what the device finished and
 * waits for more, up to {@link #FULL_WAIT}; a device that consumes nothing for that long has the
 * frame dropped and counted in txErrors (as a link drops frames), with one warning.
 *
 * <p>Threads: any thread may send, concurrently; the queue is used under one lock, the filler runs
 * outside it.
 */
final class Transmitter {

    private static final System.Logger LOG = System.getLogger("net.virtio");
    /** How long a writer waits for a transmit buffer before dropping its frame. */
    static final Duration FULL_WAIT = Duration.ofSeconds(1);

    private final VirtioDevice device;
    private final Virtqueue<DmaSlots.Slot> queue;
    private final DmaSlots pool;
    private final DmaSlots largePool; // 64 KiB buffers for TCP segmentation requests; null without TSO
    private final int header;
    private final boolean headerApart;
    private final NetCounters counters;
    private final UseGate gate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition space = lock.newCondition();
    private boolean warnedFull;
    private volatile boolean headerToFiller;
    /** Descriptors per frame's chain: the header apart (legacy without ANY_LAYOUT) or not. */
    private final int chainLength;
    private int reserved; // guarded by lock: buffers taken whose chains are not in the ring yet

    Transmitter(VirtioDevice device, Virtqueue<DmaSlots.Slot> queue, DmaSlots pool, DmaSlots largePool, int header,
            boolean headerApart, NetCounters counters, UseGate gate) {
        this.device = device;
        this.queue = queue;
        this.pool = pool;
        this.largePool = largePool;
        this.chainLength = headerApart ? 2 : 1;
        this.header = header;
        this.headerApart = headerApart;
        this.counters = counters;
        this.gate = gate;
    }

    Virtqueue<DmaSlots.Slot> queue() {
        return queue;
    }

    /**
     * Sends one frame of at most {@code size} bytes filled by {@code filler}. The buffer the filler
     * gets is this method's: it is released here, the filler neither releases nor keeps it.
     */
    void send(int size, Consumer<ByteBuf> filler) throws IOException {
        DmaSlots from = header + size <= pool.slotSize() || largePool == null ? pool : largePool;
        DmaSlots.Slot slot = takeSlot(from);
        if (slot == null) return; // dropped and counted
        boolean queued = false;
        boolean enqueuing = false; // enqueue() releases the reservation first thing, whatever follows
        boolean headerToFiller = this.headerToFiller; // once: enableOffloads may change it meanwhile
        try {
            MemorySegment memory = slot.segment();
            memory.asSlice(0, header).fill((byte) 0); // no offload asked for, unless the filler asks (headerToFiller)
            int offset;
            int length;
            ByteBuf buf;
            if (headerToFiller) {
                // The header in front of the reader index, where the stack writes its offload requests.
                buf = Unpooled.wrappedBuffer(memory.asSlice(0, header + size).asByteBuffer()).setIndex(header, header);
            } else {
                buf = Unpooled.wrappedBuffer(memory.asSlice(header, size).asByteBuffer()).clear();
            }
            int base = headerToFiller ? header : 0;
            try {
                filler.accept(buf);
                offset = buf.readerIndex() - base;
                length = buf.readableBytes();
            } finally {
                buf.release(); // a view of the slot: releasing it frees nothing
            }
            if (offset != 0 && !headerApart) {
                // The header must sit right before the frame in one descriptor: move the frame down.
                MemorySegment.copy(memory, header + offset, memory, header, length);
                offset = 0;
            }
            enqueuing = true;
            queued = enqueue(slot, offset, length);
        } finally {
            if (!queued) unreserve(from, slot, !enqueuing);
        }
    }

    /** Whether the filler gets the frame's virtio_net_hdr in front of its buffer's reader index (offloads are on). */
    void headersToFiller(boolean on) {
        headerToFiller = on;
    }

    /** Takes back what the device finished sending; any thread. */
    void reclaim() {
        lock.lock();
        try {
            reclaimLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Takes back the buffers the device still holds; only after the device was reset. */
    void reclaimAll() {
        lock.lock();
        try {
            queue.drainInFlight().forEach(this::giveBack);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a buffer taken by takeSlot whose frame did not go to the device. */
    private void unreserve(DmaSlots from, DmaSlots.Slot slot, boolean stillReserved) {
        lock.lock();
        try {
            if (stillReserved) reserved--;
            from.give(slot);
            space.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives a transmit buffer back to the pool it came from. */
    private void giveBack(DmaSlots.Slot slot) {
        (largePool != null && slot.segment().byteSize() == largePool.slotSize() ? largePool : pool).give(slot);
    }

    private DmaSlots.Slot takeSlot(DmaSlots pool) throws IOException {
        long deadline = System.nanoTime() + FULL_WAIT.toNanos();
        lock.lock();
        try {
            while (true) {
                checkUsable();
                // A buffer only with descriptors for its chain: the two pools hold more buffers than the ring chains.
                if (queue.freeDescriptors() - reserved * chainLength >= chainLength) {
                    DmaSlots.Slot slot = pool.take();
                    if (slot != null) {
                        reserved++;
                        return slot;
                    }
                }
                if (reclaimLocked() > 0) continue;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    counters.txErrors.increment();
                    LOG.log(warnedFull ? DEBUG : WARNING, "The virtio-net device took no frame for {0} ms with its transmit ring full; a frame was dropped{1}",
                            FULL_WAIT.toMillis(), warnedFull ? "" : " (further drops are counted in txErrors)");
                    warnedFull = true;
                    return null;
                }
                space.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for room in the virtio-net transmit ring.", e);
        } finally {
            lock.unlock();
        }
    }

    private boolean enqueue(DmaSlots.Slot slot, int offset, int length) throws IOException {
        lock.lock();
        try {
            reserved--; // its descriptors are taken now, or it goes back to its pool (finally, in send)
            checkUsable();
            long data = slot.deviceAddress() + header + offset;
            // takeSlot reserved descriptors for the chain, so a held buffer always finds them.
            boolean added = headerApart
                    ? queue.add(slot, new long[] {slot.deviceAddress(), data}, new int[] {header, length}, 2)
                    : queue.add(slot, slot.deviceAddress(), header + length, false);
            if (!added) throw new IllegalStateException("The transmit ring has no room for a buffer of its own pool.");
            if (queue.publish()) device.transport().notifyQueue(queue.index());
            counters.txPackets.increment();
            counters.txBytes.add(length);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private int reclaimLocked() {
        int n = 0;
        Virtqueue.Used<DmaSlots.Slot> used;
        while ((used = queue.poll()) != null) {
            giveBack(used.token());
            n++;
        }
        if (n > 0) space.signalAll();
        return n;
    }

    private void checkUsable() throws IOException {
        if (gate.isClosing()) throw new IOException("The virtio-net device is disconnected.");
        String failed = device.deviceFailed();
        if (failed == null && queue.brokenReason() != null) {
            device.fail(queue.brokenReason());
            failed = device.deviceFailed();
        }
        if (failed != null) throw new IOException(failed);
    }
}
