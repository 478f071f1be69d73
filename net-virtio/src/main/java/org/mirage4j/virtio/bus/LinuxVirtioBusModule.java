package org.mirage4j.virtio.bus;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.virtio.VirtioBus;

/** Binds {@link VirtioBus} to {@link LinuxVirtioBus}: the kvm target's virtio devices. */
@Module
public interface LinuxVirtioBusModule {
    @Binds
    VirtioBus bind(LinuxVirtioBus bus);
}
