package org.mirage4j.tcpip.link;

import java.util.SplittableRandom;

/**
 * Draws the faults of one direction of a {@link FaultyNetwork}, frame after frame, from a seeded random sequence.
 *
 * <p>Every frame consumes the same number of random values whatever happens to it, so the faults of the n-th frame
 * depend only on the seed and n: two runs with the same seed and the same frames in the same order see the same
 * faults. Pure: no I/O, no clock. Not thread-safe; the caller serialises {@link #roll()}.
 */
final class FaultDice {

    private final FaultSpec spec;
    private final SplittableRandom random;

    /** Dice for {@code spec}'s rates, drawing from {@code random}, which this object then owns. */
    FaultDice(FaultSpec spec, SplittableRandom random) {
        this.spec = spec;
        this.random = random;
    }

    /** The faults of the next frame. A rate of 0 never fires and a rate of 1 always does. */
    FaultDraw roll() {
        boolean drop = random.nextDouble() < spec.drop();
        boolean truncate = random.nextDouble() < spec.truncate();
        boolean flip = random.nextDouble() < spec.flip();
        boolean duplicate = random.nextDouble() < spec.duplicate();
        boolean delay = random.nextDouble() < spec.delay();
        boolean reorder = random.nextDouble() < spec.reorder();
        long cutBits = random.nextLong();
        long flipBits = random.nextLong();
        return new FaultDraw(drop, truncate, flip, duplicate, delay, reorder && !delay, cutBits, flipBits);
    }
}
