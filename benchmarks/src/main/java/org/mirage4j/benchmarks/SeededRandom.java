package org.mirage4j.benchmarks;

import java.util.SplittableRandom;
import org.mirage4j.api.Random;

/** A {@link Random} from a seed, so that a benchmark's stack picks the same ports and sequence numbers every run. */
final class SeededRandom implements Random {

    private final SplittableRandom random;

    SeededRandom(long seed) {
        random = new SplittableRandom(seed);
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
