package org.mirage4j.runtime.jdk;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.mirage4j.api.time.WallClock;

/** {@link Instant#now()}. */
@Singleton
final class JdkWallClock implements WallClock {

    @Inject
    JdkWallClock() {}

    @Override
    public Instant now() {
        return Instant.now();
    }
}
