package org.mirage4j.runtime.jdk;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.mirage4j.api.time.MonotonicClock;

/** {@link System#nanoTime()}, counted from construction. */
@Singleton
final class JdkMonotonicClock implements MonotonicClock {

    private final long origin = System.nanoTime();

    @Inject
    JdkMonotonicClock() {}

    @Override
    public long elapsedNanos() {
        return System.nanoTime() - origin;
    }
}
