package org.mirage4j.tcpip.tcp;

import java.util.SplittableRandom;
import org.mirage4j.api.Random;

/** A {@link Random} for tests, repeatable from its seed. */
final class TestRandom implements Random {

    private final SplittableRandom random;

    TestRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    @Override
    public int nextInt() {
        return random.nextInt();
    }

    @Override
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }
}
