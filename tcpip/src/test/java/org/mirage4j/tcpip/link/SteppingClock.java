package org.mirage4j.tcpip.link;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests that moves on by {@code step} nanoseconds each time it is read. */
record SteppingClock(Instant start, long step, AtomicLong reads) implements InstantSource {

    SteppingClock(Instant start, long step) {
        this(start, step, new AtomicLong());
    }

    @Override
    public Instant instant() {
        return at(reads.getAndIncrement());
    }

    /** What the {@code n}-th read (from 0) returns. */
    Instant at(long n) {
        return start.plusNanos(n * step);
    }
}
