package org.mirage4j.block.kv;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.time.WallClock;

/** A wall clock that moves one millisecond each time it is read, from a fixed start. */
final class TestClock implements WallClock {

    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public Instant now() {
        return Instant.ofEpochMilli(millis.getAndIncrement());
    }
}
