package org.mirage4j.block.memory;

import org.mirage4j.api.block.Block;

/** The block device contract for 4 KiB sectors, as some disks have. */
class MemoryBlockLargeSectorContractTest extends MemoryBlockContractTest {

    @Override
    protected Block newDevice() {
        return MemoryBlock.create(4096, 64);
    }
}
