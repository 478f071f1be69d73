package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;

/**
 * The faults drawn for one frame by {@link FaultDice}, and the random bits that place a cut or a flipped bit once the
 * frame's length is known.
 *
 * @param drop lose the frame (nothing else then applies)
 * @param truncate cut the frame short
 * @param flip invert one bit
 * @param duplicate pass the frame on twice
 * @param delay pass the frame on late (takes precedence over {@code reorder})
 * @param reorder hold the frame back behind later ones
 * @param cutBits chooses the length a cut frame keeps
 * @param flipBits chooses the bit that is inverted
 */
record FaultDraw(boolean drop, boolean truncate, boolean flip, boolean duplicate, boolean delay, boolean reorder,
        long cutBits, long flipBits) {

    /** The shortest length a cut leaves: the Ethernet header, so that the frame stays one a tap accepts. */
    static final int MIN_TRUNCATED_LENGTH = 14;

    /** Whether the frame passes untouched. */
    boolean none() {
        return !drop && !truncate && !flip && !duplicate && !delay && !reorder;
    }

    /**
     * Applies {@link #truncate} and {@link #flip} to the readable bytes of {@code frame}, in place, and counts each
     * one that applied. The caller must own {@code frame} (nobody else may see it change) and keeps that ownership.
     * A frame of {@value #MIN_TRUNCATED_LENGTH} bytes or fewer is not cut; an empty frame has no bit to flip.
     */
    void damage(ByteBuf frame, FaultCounters counters) {
        int length = frame.readableBytes();
        if (truncate && length > MIN_TRUNCATED_LENGTH) {
            // Uniform in [MIN_TRUNCATED_LENGTH, length - 1].
            int kept = MIN_TRUNCATED_LENGTH + (int) Math.floorMod(cutBits, (long) (length - MIN_TRUNCATED_LENGTH));
            frame.writerIndex(frame.readerIndex() + kept);
            counters.truncated.increment();
            length = kept;
        }
        if (flip && length > 0) {
            long bit = Math.floorMod(flipBits, length * 8L);
            int index = frame.readerIndex() + (int) (bit >>> 3);
            frame.setByte(index, frame.getByte(index) ^ (1 << (bit & 7)));
            counters.flipped.increment();
        }
    }
}
