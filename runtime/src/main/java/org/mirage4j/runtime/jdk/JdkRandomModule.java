package org.mirage4j.runtime.jdk;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.Random;

/** Binds {@link Random} to the JDK's. */
@Module
public interface JdkRandomModule {
    @Binds
    Random bind(JdkRandom implementation);
}
