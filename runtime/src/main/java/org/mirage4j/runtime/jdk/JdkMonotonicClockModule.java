package org.mirage4j.runtime.jdk;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.time.MonotonicClock;

/** Binds {@link MonotonicClock} to the JDK's. */
@Module
public interface JdkMonotonicClockModule {
    @Binds
    MonotonicClock bind(JdkMonotonicClock implementation);
}
