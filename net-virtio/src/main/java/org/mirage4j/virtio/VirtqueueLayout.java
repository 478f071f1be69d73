package org.mirage4j.virtio;

/**
 * Where the three parts of a split virtqueue of {@code size} entries lie in its memory (VIRTIO 1.2
 * §2.7), shared by the driver and by the software device of the tests.
 *
 * <pre>
 * descriptor table  16 bytes × size     { le64 addr; le32 len; le16 flags; le16 next; }
 * available ring    le16 flags; le16 idx; le16 ring[size]; le16 used_event
 * used ring         le16 flags; le16 idx; { le32 id; le32 len; }[size]; le16 avail_event
 * </pre>
 *
 * <p>A modern queue packs the parts with the alignments of §2.7 (16, 2, 4); a legacy queue is one
 * area whose used ring starts on the next 4096-byte boundary (§2.7.2, legacy layout).
 *
 * @param size the number of entries, a power of two
 * @param availOffset where the available ring starts (the descriptor table starts at 0)
 * @param usedOffset where the used ring starts
 * @param totalBytes the bytes the whole queue needs
 */
public record VirtqueueLayout(int size, long availOffset, long usedOffset, long totalBytes) {

    /** Bytes of one descriptor. */
    public static final int DESCRIPTOR_BYTES = 16;
    /** Bytes of one used element. */
    public static final int USED_ELEMENT_BYTES = 8;
    /** The largest queue a split virtqueue may have. */
    public static final int MAX_SIZE = 32768;
    /** Alignment of a legacy queue and of its used ring. */
    public static final int LEGACY_ALIGN = 4096;

    /** The layout of a queue of {@code size} entries, legacy or modern. */
    public static VirtqueueLayout of(int size, boolean legacy) {
        if (size <= 0 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("A split virtqueue has a power-of-two size up to 32768, not " + size + ".");
        }
        long availOffset = (long) DESCRIPTOR_BYTES * size;
        long availBytes = 6L + 2L * size;
        long usedBytes = 6L + (long) USED_ELEMENT_BYTES * size;
        if (legacy) {
            long usedOffset = align(availOffset + availBytes, LEGACY_ALIGN);
            return new VirtqueueLayout(size, availOffset, usedOffset, usedOffset + align(usedBytes, LEGACY_ALIGN));
        }
        long usedOffset = align(availOffset + availBytes, 4);
        return new VirtqueueLayout(size, availOffset, usedOffset, usedOffset + usedBytes);
    }

    /** Where descriptor {@code id} starts. */
    public long descriptor(int id) {
        return (long) DESCRIPTOR_BYTES * id;
    }

    /** The available ring's flags. */
    public long availFlags() {
        return availOffset;
    }

    /** The available ring's index. */
    public long availIdx() {
        return availOffset + 2;
    }

    /** Entry {@code slot} of the available ring. */
    public long availRing(int slot) {
        return availOffset + 4 + 2L * slot;
    }

    /** The used_event field, at the end of the available ring. */
    public long usedEvent() {
        return availOffset + 4 + 2L * size;
    }

    /** The used ring's flags. */
    public long usedFlags() {
        return usedOffset;
    }

    /** The used ring's index. */
    public long usedIdx() {
        return usedOffset + 2;
    }

    /** Element {@code slot} of the used ring. */
    public long usedElement(int slot) {
        return usedOffset + 4 + (long) USED_ELEMENT_BYTES * slot;
    }

    /** The avail_event field, at the end of the used ring. */
    public long availEvent() {
        return usedOffset + 4 + (long) USED_ELEMENT_BYTES * size;
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
