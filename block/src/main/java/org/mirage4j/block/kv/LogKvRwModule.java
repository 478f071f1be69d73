package org.mirage4j.block.kv;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.kv.KvRw;

/** Makes the crash-safe log-structured store over the unikernel's {@link org.mirage4j.api.block.Block} the {@link KvRw}. */
@Module
public interface LogKvRwModule {

    /** The read-write store is a log on the block device. */
    @Binds
    KvRw kvRw(LogKvRw store);
}
