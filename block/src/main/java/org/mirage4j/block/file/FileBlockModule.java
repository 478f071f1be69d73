package org.mirage4j.block.file;

import dagger.Binds;
import dagger.Module;
import org.mirage4j.api.block.Block;

/**
 * Makes a disk image file the {@link Block}; it reads the runtime keys {@code block-file},
 * {@code block-size} and {@code block-read-only}.
 */
@Module
public interface FileBlockModule {

    /** The block device is a file. */
    @Binds
    Block block(FileBlock file);
}
