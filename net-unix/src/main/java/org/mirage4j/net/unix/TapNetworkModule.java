package org.mirage4j.net.unix;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.net.Network;

/** Makes the tap device the {@link Network}; its keys are {@link TapNetwork#keys()}. */
@Module
public interface TapNetworkModule {

    /** The network device is a tap interface. */
    @Binds
    Network network(TapNetwork tap);
}
