package org.mirage4j.runtime.jdk;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.time.Sleep;

/** Binds {@link Sleep} to the JDK's. */
@Module
public interface JdkSleepModule {
    @Binds
    Sleep bind(JdkSleep implementation);
}
