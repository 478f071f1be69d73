package org.mirage4j.virtio.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.virtio.Features;
import org.mirage4j.virtio.VirtioBus;

/**
 * A virtio-blk device (VIRTIO 1.2 §5.2) backed by a memory segment the test can read and change:
 * IN, OUT, FLUSH and GET_ID requests, an optional logical block size, read-only mode, a write
 * cache (FLUSH offered) or write-through (not offered), and seg_max/size_max limits that it checks
 * every request against ({@link #limitViolations()}).
 *
 * <p>With {@link #completeInReverse} it takes every request available and completes them last
 * first, so that a driver with several requests in flight must match completions to callers.
 */
public final class SoftwareBlockDevice extends SoftwareDevice {

    private static final int T_IN = 0;
    private static final int T_OUT = 1;
    private static final int T_FLUSH = 4;
    private static final int T_GET_ID = 8;

    private final MemorySegment storage;
    private final int blockSize;
    private final int segMax;
    private final int sizeMax;
    private volatile boolean reverse;
    private volatile long failSector = -1;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    /**
     * @param storage the disk, a multiple of 512 bytes
     * @param blockSize the logical block size offered (BLK_SIZE), or 0 to offer none
     * @param readOnly whether RO is offered (and writes fail)
     * @param flush whether FLUSH is offered (a write cache)
     * @param segMax the seg_max offered, or 0 for none
     * @param sizeMax the size_max offered, or 0 for none
     */
    public SoftwareBlockDevice(SoftwareDmaMemory memory, boolean legacy, int queueSize, MemorySegment storage, int blockSize,
            boolean readOnly, boolean flush, int segMax, int sizeMax) {
        super(VirtioBus.BLOCK, memory, legacy, 1, queueSize,
                (sizeMax > 0 ? Features.bit(1) : 0) | (segMax > 0 ? Features.bit(2) : 0) | (readOnly ? Features.bit(5) : 0)
                        | (blockSize > 0 ? Features.bit(6) : 0) | (flush ? Features.bit(9) : 0),
                true);
        this.storage = storage;
        this.blockSize = blockSize;
        this.segMax = segMax;
        this.sizeMax = sizeMax;
    }

    /** A modern read-write disk of {@code bytes} zeroed bytes, with FLUSH, 512-byte blocks and no limits. */
    public static SoftwareBlockDevice disk(SoftwareDmaMemory memory, long bytes) {
        return new SoftwareBlockDevice(memory, false, 128, Arena.ofAuto().allocate(bytes, 8), 0, false, true, 0, 0);
    }

    /** The disk's contents; the test may read and change them. */
    public MemorySegment storage() {
        return storage;
    }

    /** FLUSH requests served. */
    public long flushes() {
        return flushes.get();
    }

    /** Requests served. */
    public long requests() {
        return requests.get();
    }

    /** Requests with more data segments than seg_max, or a segment larger than size_max. */
    public long limitViolations() {
        return violations.get();
    }

    /** The most requests the device found available at once. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Whether to complete each batch of requests last first. */
    public void completeInReverse(boolean reverse) {
        this.reverse = reverse;
    }

    /** Answers requests touching 512-byte sector {@code sector} with an I/O error; -1 for none. */
    public void failAt(long sector) {
        this.failSector = sector;
    }

    @Override
    protected byte[] config() {
        ByteBuffer c = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(0, storage.byteSize() / 512);
        c.putInt(8, sizeMax);
        c.putInt(12, segMax);
        c.putInt(20, blockSize);
        return c.array();
    }

    @Override
    protected boolean service() {
        DeviceRing ring = ring(0);
        if (ring == null) return false;
        List<Chain> batch = new ArrayList<>();
        Chain chain;
        while ((chain = ring.next()) != null) batch.add(chain);
        if (batch.isEmpty()) return arm(ring);
        mostInFlight.accumulateAndGet(batch.size(), Math::max);
        if (reverse) Collections.reverse(batch);
        for (Chain c : batch) complete(ring, c, serve(c));
        signal(ring);
        return true;
    }

    /** Serves one request; returns the bytes written into its writable buffers. */
    private int serve(Chain chain) {
        requests.incrementAndGet();
        List<Chain.Buffer> buffers = chain.buffers();
        Chain.Buffer last = buffers.get(buffers.size() - 1);
        if (!last.writable() || last.memory().byteSize() < 1) throw new IllegalArgumentException("a request without a status byte");
        byte[] headerAndOut = chain.readable();
        if (headerAndOut.length < 16) throw new IllegalArgumentException("a request header of " + headerAndOut.length + " bytes");
        ByteBuffer header = ByteBuffer.wrap(headerAndOut).order(ByteOrder.LITTLE_ENDIAN);
        int type = header.getInt(0);
        long sector = header.getLong(8);
        List<MemorySegment> dataIn = new ArrayList<>();
        for (int i = 0; i < buffers.size() - 1; i++) if (buffers.get(i).writable()) dataIn.add(buffers.get(i).memory());
        int dataSegments = type == T_IN ? dataIn.size() : chain.readableCount() - 1;
        if (segMax > 0 && dataSegments > segMax) violations.incrementAndGet();
        if (sizeMax > 0) {
            for (Chain.Buffer b : buffers) {
                if (b.memory().byteSize() > sizeMax) violations.incrementAndGet();
            }
        }
        MemorySegment status = last.memory();
        int written = 1;
        byte result = 0;
        switch (type) {
            case T_IN -> {
                long length = 0;
                for (MemorySegment d : dataIn) length += d.byteSize();
                if (!inside(sector, length) || hits(sector, length)) {
                    result = 1;
                } else {
                    long at = sector * 512;
                    for (MemorySegment d : dataIn) {
                        MemorySegment.copy(storage, at, d, 0, d.byteSize());
                        at += d.byteSize();
                    }
                    written += (int) length;
                }
            }
            case T_OUT -> {
                int length = headerAndOut.length - 16;
                if (negotiated(5) || !inside(sector, length) || hits(sector, length)) {
                    result = 1;
                } else {
                    MemorySegment.copy(headerAndOut, 16, storage, ValueLayout.JAVA_BYTE, sector * 512, length);
                }
            }
            case T_FLUSH -> flushes.incrementAndGet();
            case T_GET_ID -> result = 2;
            default -> result = 2;
        }
        status.set(ValueLayout.JAVA_BYTE, 0, result);
        return written;
    }

    private boolean inside(long sector, long length) {
        return sector >= 0 && length % 512 == 0 && sector * 512 + length <= storage.byteSize();
    }

    private boolean hits(long sector, long length) {
        long f = failSector;
        return f >= sector && f < sector + length / 512;
    }
}
