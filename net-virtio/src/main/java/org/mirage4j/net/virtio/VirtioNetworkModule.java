package org.mirage4j.net.virtio;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.net.Network;

/** Makes the virtio-net driver the {@link Network}; the build provides the {@link org.mirage4j.virtio.VirtioBus}. */
@Module
public interface VirtioNetworkModule {

    /** The network device is a virtio-net device. */
    @Binds
    Network network(VirtioNetwork virtio);
}
