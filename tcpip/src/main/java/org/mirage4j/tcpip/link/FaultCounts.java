package org.mirage4j.tcpip.link;

/**
 * How many times each fault was applied by a {@link FaultyNetwork}, in one direction or both.
 *
 * <p>A frame may count under several faults (a duplicated frame may also be delayed). Frames whose fault could not
 * apply are not counted: a frame too short to cut, a hold while another frame is held, a delay when the delay queue
 * is full.
 *
 * @param dropped frames lost
 * @param duplicated frames passed on twice
 * @param reordered frames held back behind later ones
 * @param delayed frames passed on late
 * @param flipped frames with one bit inverted
 * @param truncated frames cut short
 */
public record FaultCounts(long dropped, long duplicated, long reordered, long delayed, long flipped, long truncated) {

    /** No fault applied. */
    public static final FaultCounts ZERO = new FaultCounts(0, 0, 0, 0, 0, 0);

    /** The counts of both. */
    public FaultCounts plus(FaultCounts other) {
        return new FaultCounts(dropped + other.dropped, duplicated + other.duplicated, reordered + other.reordered,
                delayed + other.delayed, flipped + other.flipped, truncated + other.truncated);
    }

    /** All faults applied, a frame counted once per fault. */
    public long total() {
        return dropped + duplicated + reordered + delayed + flipped + truncated;
    }

    /** As logged: {@code dropped 12, duplicated 3, reordered 2, delayed 5, flipped 1, truncated 0}. */
    @Override
    public String toString() {
        return "dropped " + dropped + ", duplicated " + duplicated + ", reordered " + reordered + ", delayed " + delayed
                + ", flipped " + flipped + ", truncated " + truncated;
    }
}
