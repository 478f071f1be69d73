package org.mirage4j.reliability;

import java.util.SplittableRandom;
import org.mirage4j.api.Random;

/** Randomness from a seed, so that a run can be repeated; thread-safe (the stacks draw from several threads). */
final class SeededRandom implements Random {

    private final SplittableRandom random;

    SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    @Override
    public synchronized int nextInt() {
        return random.nextInt();
    }

    @Override
    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public synchronized long nextLong() {
        return random.nextLong();
    }
}
