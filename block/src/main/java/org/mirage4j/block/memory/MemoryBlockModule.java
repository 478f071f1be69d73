package org.mirage4j.block.memory;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.block.Block;

/** Makes memory the {@link Block}, of the size the runtime key {@code block-size} gives (such as {@code 64M}). */
@Module
public interface MemoryBlockModule {

    /** The block device is memory. */
    @Binds
    Block block(MemoryBlock memory);
}
