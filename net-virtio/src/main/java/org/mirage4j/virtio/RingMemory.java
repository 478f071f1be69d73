package org.mirage4j.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian reads and writes of ring fields (VIRTIO 1.2 §2.4: rings are little-endian). */
public final class RingMemory {

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RingMemory() {}

    /** The unsigned 16-bit value at {@code offset}. */
    public static int u16(MemorySegment memory, long offset) {
        return Short.toUnsignedInt(memory.get(LE16, offset));
    }

    /** Writes the low 16 bits of {@code value} at {@code offset}. */
    public static void u16(MemorySegment memory, long offset, int value) {
        memory.set(LE16, offset, (short) value);
    }

    /** The 32-bit value at {@code offset}. */
    public static int u32(MemorySegment memory, long offset) {
        return memory.get(LE32, offset);
    }

    /** Writes a 32-bit value at {@code offset}. */
    public static void u32(MemorySegment memory, long offset, int value) {
        memory.set(LE32, offset, value);
    }

    /** The 64-bit value at {@code offset}. */
    public static long u64(MemorySegment memory, long offset) {
        return memory.get(LE64, offset);
    }

    /** Writes a 64-bit value at {@code offset}. */
    public static void u64(MemorySegment memory, long offset, long value) {
        memory.set(LE64, offset, value);
    }
}
