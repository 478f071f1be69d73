package org.mirage4j.virtio;

/**
 * Arithmetic on the 16-bit ring indices of a split virtqueue, which wrap from 65535 to 0
 * (VIRTIO 1.2 §2.7.6).
 */
public final class EventIndex {

    private EventIndex() {}

    /**
     * Whether moving an index from {@code oldIndex} to {@code newIndex} passed {@code event}, so the
     * other side asked to be told (§2.7.10, the {@code vring_need_event} rule): true when
     * {@code event} is in {@code [oldIndex, newIndex)} modulo 2^16.
     */
    public static boolean needsEvent(int event, int newIndex, int oldIndex) {
        return ((newIndex - event - 1) & 0xFFFF) < ((newIndex - oldIndex) & 0xFFFF);
    }

    /** How far {@code to} is ahead of {@code from}, modulo 2^16. */
    public static int distance(int from, int to) {
        return (to - from) & 0xFFFF;
    }
}
