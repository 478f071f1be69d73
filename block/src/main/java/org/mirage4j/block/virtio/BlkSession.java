package org.mirage4j.block.virtio;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.block.BlockInfo;
import org.mirage4j.virtio.DmaMemory;
import org.mirage4j.virtio.DmaSlots;
import org.mirage4j.virtio.Features;
import org.mirage4j.virtio.UseGate;
import org.mirage4j.virtio.VirtioDevice;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.Virtqueue;

/**
 * One connection to a virtio-blk device: the device, its request queue, a pool of request buffers
 * and the completion loop.
 *
 * <p>A request is one DMA slot: the 16-byte header the device reads, the status byte it writes,
 * then up to {@link #chunkBytes()} of data, given to the device as segments no larger than its
 * size_max and no more than its seg_max (§5.2.6). The caller's buffers may be anywhere (heap,
 * composite), so data is copied between them and the slot: the device can only reach DMA memory.
 * As many requests are in flight as there are slots; callers beyond that wait for one.
 *
 * <p>Threads: any thread may {@link #execute}, concurrently; the queue is used under one lock.
 * The completion loop is a platform thread of its own that waits for the device's interrupt,
 * completes the waiting requests, and watches for a device that fails.
 */
final class BlkSession {

    private static final System.Logger LOG = System.getLogger("block.virtio");
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int QUEUE_SIZE = 128;
    /** The largest request we send; larger reads and writes are split. */
    private static final int MAX_CHUNK = 128 * 1024;
    /** Where the status byte and the data start in a slot. */
    private static final int STATUS_OFFSET = BlkConfig.HEADER;
    private static final int DATA_OFFSET = 64;
    private static final Duration SLICE = Duration.ofMillis(10);
    static final long WANTED_FEATURES = Features.bit(BlkConfig.F_SIZE_MAX) | Features.bit(BlkConfig.F_SEG_MAX)
            | Features.bit(BlkConfig.F_RO) | Features.bit(BlkConfig.F_BLK_SIZE) | Features.bit(BlkConfig.F_FLUSH)
            | Features.bit(Features.RING_EVENT_IDX) | Features.bit(Features.ANY_LAYOUT) | Features.bit(Features.VERSION_1);

    final VirtioDevice device;
    final BlockInfo info;
    final UseGate gate = new UseGate();
    private final Virtqueue<BlockRequest> queue;
    private final DmaSlots slots;
    private final Semaphore free;
    private final int chunkBytes;
    private final int segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closing;
    private final Thread completions;

    private BlkSession(VirtioDevice device, BlockInfo info, Virtqueue<BlockRequest> queue, DmaSlots slots, int chunkBytes,
            int segmentBytes) {
        this.device = device;
        this.info = info;
        this.queue = queue;
        this.slots = slots;
        this.free = new Semaphore(slots.count(), true);
        this.chunkBytes = chunkBytes;
        this.segmentBytes = segmentBytes;
        this.completions = Thread.ofPlatform().daemon().name("virtio-blk-completions").unstarted(this::completionLoop);
    }

    /** Initialises the device on {@code transport}, which it then owns (and closes on failure), and starts the completion loop. */
    static BlkSession open(VirtioTransport transport, DmaMemory memory) throws DeviceException {
        Virtqueue<BlockRequest> queue = null;
        try {
            VirtioDevice device = VirtioDevice.initialize("virtio-blk", transport, WANTED_FEATURES);
            int blockSize = device.has(BlkConfig.F_BLK_SIZE) ? device.readConfig32(BlkConfig.BLK_SIZE) : BlkConfig.VIRTIO_SECTOR;
            if (blockSize < BlkConfig.VIRTIO_SECTOR || Integer.bitCount(blockSize) != 1 || blockSize > 64 * 1024) {
                blockSize = BlkConfig.VIRTIO_SECTOR; // a nonsensical hint (§5.2.4 calls it one): fall back to 512
            }
            long capacity = device.readConfig64(BlkConfig.CAPACITY);
            BlockInfo info = new BlockInfo(blockSize, capacity / (blockSize / BlkConfig.VIRTIO_SECTOR), !device.has(BlkConfig.F_RO));
            long sizeMax = device.has(BlkConfig.F_SIZE_MAX) ? Integer.toUnsignedLong(device.readConfig32(BlkConfig.SIZE_MAX)) : 0;
            long segMax = device.has(BlkConfig.F_SEG_MAX) ? Integer.toUnsignedLong(device.readConfig32(BlkConfig.SEG_MAX)) : 0;
            int segmentBytes = sizeMax == 0 ? MAX_CHUNK : (int) Math.min(MAX_CHUNK, sizeMax);
            long chunk = MAX_CHUNK;
            if (segMax > 0) chunk = Math.min(chunk, segMax * segmentBytes);
            int chunkBytes = (int) Math.max(blockSize, chunk / blockSize * blockSize);
            int segments = (chunkBytes + segmentBytes - 1) / segmentBytes;
            queue = Virtqueue.create("virtio-blk", transport, memory, 0, QUEUE_SIZE, device.has(Features.RING_EVENT_IDX));
            int inFlight = Math.max(1, queue.size() / (segments + 2));
            if (segments + 2 > queue.size()) {
                throw new DeviceException("The virtio-blk device's queue of " + queue.size() + " entries cannot hold one request of "
                        + (segments + 2) + " descriptors; give the device a larger size_max or queue size.");
            }
            DmaSlots slots = DmaSlots.allocate(memory, DATA_OFFSET + chunkBytes, inFlight);
            BlkSession session = new BlkSession(device, info, queue, slots, chunkBytes, segmentBytes);
            device.ready();
            session.completions.start();
            LOG.log(INFO, "virtio-blk device ready: {0} sectors of {1} bytes{2}, {3} requests of up to {4} bytes in flight, {5} virtio",
                    info.sectors(), info.sectorSize(), info.readWrite() ? "" : ", read-only", inFlight, chunkBytes,
                    transport.legacy() ? "legacy" : "1.x");
            return session;
        } catch (DeviceException | RuntimeException e) {
            transport.close();
            if (queue != null) queue.close();
            throw e;
        }
    }

    /** The most data bytes of one request; larger reads and writes are split. */
    int chunkBytes() {
        return chunkBytes;
    }

    /**
     * Sends one request and waits for it.
     *
     * @param type {@link BlkConfig#T_IN}, {@link BlkConfig#T_OUT} or {@link BlkConfig#T_FLUSH}
     * @param sector the first 512-byte sector
     * @param dataBytes data bytes, at most {@link #chunkBytes()}
     * @param fill writes the data into the slot before the request is sent (writes), or null
     * @param drain reads the data out of the slot after the device answered (reads), or null
     * @param what the request in words, for messages
     * @throws IOException when the device reports an error, fails, or is disconnected
     */
    void execute(int type, long sector, int dataBytes, Consumer<MemorySegment> fill, Consumer<MemorySegment> drain, String what)
            throws IOException {
        if (!gate.enter()) throw new ClosedChannelException();
        try {
            acquire();
            DmaSlots.Slot slot = slots.take();
            try {
                MemorySegment memory = slot.segment();
                memory.set(LE32, 0, type);
                memory.set(LE32, 4, 0);
                memory.set(LE64, 8, sector);
                memory.set(ValueLayout.JAVA_BYTE, STATUS_OFFSET, (byte) 0xFF);
                MemorySegment data = memory.asSlice(DATA_OFFSET, dataBytes);
                if (fill != null) fill.accept(data);
                BlockRequest request = new BlockRequest(slot, what);
                submit(request, type == BlkConfig.T_IN, dataBytes);
                request.await();
                int status = Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, STATUS_OFFSET));
                if (status != BlkConfig.S_OK) throw statusError(status, what);
                if (drain != null) drain.accept(data);
            } finally {
                slots.give(slot);
                free.release();
            }
        } finally {
            gate.exit();
        }
    }

    private void acquire() throws IOException {
        try {
            while (!free.tryAcquire(SLICE.toNanos(), TimeUnit.NANOSECONDS)) checkUsable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for room in the virtio-blk queue.");
        }
    }

    private void submit(BlockRequest request, boolean deviceWritesData, int dataBytes) throws IOException {
        int segments = (dataBytes + segmentBytes - 1) / segmentBytes;
        long[] addresses = new long[segments + 2];
        int[] lengths = new int[segments + 2];
        long base = request.slot.deviceAddress();
        addresses[0] = base;
        lengths[0] = BlkConfig.HEADER;
        for (int i = 0; i < segments; i++) {
            int offset = i * segmentBytes;
            addresses[1 + i] = base + DATA_OFFSET + offset;
            lengths[1 + i] = Math.min(segmentBytes, dataBytes - offset);
        }
        addresses[segments + 1] = base + STATUS_OFFSET;
        lengths[segments + 1] = 1;
        lock.lock();
        try {
            checkUsable();
            // A permit stands for one slot and for the descriptors of its largest request.
            if (!queue.add(request, addresses, lengths, deviceWritesData ? 1 : 1 + segments)) {
                throw new IllegalStateException("The virtio-blk queue has no room for a request it had a permit for.");
            }
            if (queue.publish()) device.transport().notifyQueue(queue.index());
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() throws IOException {
        if (closing) throw new ClosedChannelException();
        String failed = device.deviceFailed();
        if (failed != null) throw new IOException(failed);
    }

    private static IOException statusError(int status, String what) {
        return switch (status) {
            case BlkConfig.S_IOERR -> new IOException("The virtio-blk device reported an I/O error for " + what + ".");
            case BlkConfig.S_UNSUPP -> new IOException("The virtio-blk device does not support " + what + ".");
            default -> new IOException("The virtio-blk device answered " + what + " with the unknown status " + status + ".");
        };
    }

    private void completionLoop() {
        VirtioTransport transport = device.transport();
        try {
            while (!closing) {
                lock.lock();
                try {
                    Virtqueue.Used<BlockRequest> used;
                    while ((used = queue.poll()) != null) {
                        BlockRequest request = used.token();
                        if (used.lengthValid()) {
                            request.complete(used.length());
                        } else {
                            request.fail(new IOException("The virtio-blk device reported more bytes than " + request.what
                                    + " has room for, so its result was discarded."));
                        }
                    }
                    if (queue.brokenReason() != null) device.fail(queue.brokenReason());
                } finally {
                    lock.unlock();
                }
                if (device.deviceFailed() == null && queue.enableInterrupts()) continue;
                try {
                    transport.awaitInterrupt(SLICE);
                } catch (IOException e) {
                    if (closing) return;
                    throw e;
                }
                // Once per wait: the status is a device register; a reset request interrupts the wait.
                String failed = device.checkHealth();
                if (failed != null) {
                    failInFlight(new IOException(failed), false);
                    return;
                }
            }
        } catch (InterruptedException e) {
            if (!closing) device.fail("The virtio-blk completion loop was interrupted; restart the unikernel.");
        } catch (IOException | RuntimeException e) {
            LOG.log(ERROR, "The virtio-blk completion loop failed", e);
            device.fail("The virtio-blk completion loop failed (" + e + "); restart the unikernel.");
            failInFlight(new IOException(device.deviceFailed(), e), false);
        }
    }

    /** Fails the requests in flight; with {@code forget}, also takes them out of the queue (only after a reset). */
    private void failInFlight(IOException error, boolean forget) {
        lock.lock();
        try {
            if (forget) {
                for (BlockRequest r : queue.drainInFlight()) r.fail(error);
            } else {
                // The device may still write into them: their slots stay taken until the callers return them.
                queue.inFlight().forEach(r -> r.fail(error));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the completion loop, resets the device, fails the requests in flight, and frees the
     * memory once no caller uses it (within {@code wait}, or when the last one leaves).
     */
    boolean close(Duration wait) {
        lock.lock();
        try {
            closing = true;
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != completions) {
            try {
                completions.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        device.close(); // the device no longer touches the queue or the slots
        failInFlight(new IOException("The virtio-blk device was disconnected."), true);
        return gate.close(wait, () -> {
            queue.close();
            slots.close();
        });
    }
}
