package org.mirage4j.tcpip.dhcp;

import java.util.SplittableRandom;
import org.mirage4j.api.Random;

/**
 * A {@link Random} for the client's tests: {@link #nextInt()} (transaction ids) counts up from 0x1000, and
 * {@link #nextInt(int)} (retransmission jitter) gives {@link #bounded}'s answer, the middle of the range by
 * default (no jitter), or, with a seed, a repeatable draw.
 */
final class ScriptedRandom implements Random {

    private int nextXid = 0x1000;
    private final SplittableRandom seeded;
    /** What {@link #nextInt(int)} returns as a fraction of its bound, when not seeded: 0.5 is the middle. */
    double bounded = 0.5;

    ScriptedRandom() {
        this.seeded = null;
    }

    ScriptedRandom(long seed) {
        this.seeded = new SplittableRandom(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) nextInt(256);
    }

    /** The next transaction id: 0x1000, 0x1001, ... */
    @Override
    public int nextInt() {
        return nextXid++;
    }

    @Override
    public int nextInt(int bound) {
        if (seeded != null) return seeded.nextInt(bound);
        return Math.min(bound - 1, (int) (bound * bounded));
    }

    @Override
    public long nextLong() {
        return nextInt();
    }
}
