package org.mirage4j.tcpip.direct;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.time.MonotonicClock;

/** Virtual time for tests: it stands still until the test moves it. */
final class FakeClock implements MonotonicClock {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long elapsedNanos() {
        return now.get();
    }

    long advance(Duration by) {
        return now.addAndGet(by.toNanos());
    }
}
