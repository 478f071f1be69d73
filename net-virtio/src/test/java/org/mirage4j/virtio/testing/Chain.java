package org.mirage4j.virtio.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A descriptor chain as the device sees it: its head id and its buffers, readable ones first.
 *
 * @param head the id the device gives back in the used ring
 * @param buffers the memory of each descriptor, in chain order
 */
public record Chain(int head, List<Buffer> buffers) {

    /**
     * One descriptor's memory.
     *
     * @param memory the bytes it points at
     * @param writable whether the device writes it (VIRTQ_DESC_F_WRITE)
     */
    public record Buffer(MemorySegment memory, boolean writable) {}

    /** The readable buffers' bytes, concatenated. */
    public byte[] readable() {
        long total = 0;
        for (Buffer b : buffers) if (!b.writable()) total += b.memory().byteSize();
        byte[] out = new byte[(int) total];
        int at = 0;
        for (Buffer b : buffers) {
            if (b.writable()) continue;
            MemorySegment.copy(b.memory(), ValueLayout.JAVA_BYTE, 0, out, at, (int) b.memory().byteSize());
            at += (int) b.memory().byteSize();
        }
        return out;
    }

    /** The number of readable buffers. */
    public int readableCount() {
        int n = 0;
        for (Buffer b : buffers) if (!b.writable()) n++;
        return n;
    }

    /** The writable buffers' total length. */
    public long writableLength() {
        long total = 0;
        for (Buffer b : buffers) if (b.writable()) total += b.memory().byteSize();
        return total;
    }

    /**
     * Writes {@code data} across the writable buffers from their start; returns false, writing
     * nothing, when it does not fit.
     */
    public boolean write(byte[] data) {
        if (data.length > writableLength()) return false;
        int at = 0;
        for (Buffer b : buffers) {
            if (!b.writable() || at == data.length) continue;
            int n = (int) Math.min(b.memory().byteSize(), data.length - at);
            MemorySegment.copy(data, at, b.memory(), ValueLayout.JAVA_BYTE, 0, n);
            at += n;
        }
        return true;
    }
}
