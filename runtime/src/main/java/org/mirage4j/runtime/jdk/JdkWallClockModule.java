package org.mirage4j.runtime.jdk;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.time.WallClock;

/** Binds {@link WallClock} to the JDK's. */
@Module
public interface JdkWallClockModule {
    @Binds
    WallClock bind(JdkWallClock implementation);
}
