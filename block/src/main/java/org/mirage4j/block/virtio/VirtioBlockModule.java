package org.mirage4j.block.virtio;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.block.Block;

/** Makes the virtio-blk driver the {@link Block}; the build provides the {@link org.mirage4j.virtio.VirtioBus}. */
@Module
public interface VirtioBlockModule {

    /** The block device is a virtio-blk device. */
    @Binds
    Block block(VirtioBlock virtio);
}
