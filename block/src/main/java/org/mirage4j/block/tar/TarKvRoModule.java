package org.mirage4j.block.tar;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.kv.KvRo;

/** Makes the tar archive on the unikernel's {@link org.mirage4j.api.block.Block} the {@link KvRo}. */
@Module
public interface TarKvRoModule {

    /** The read-only store is a tar archive on the block device. */
    @Binds
    KvRo kvRo(TarKvRo archive);
}
