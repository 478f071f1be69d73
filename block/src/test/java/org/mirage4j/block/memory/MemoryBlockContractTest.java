package org.mirage4j.block.memory;

import java.io.IOException;
import org.mirage4j.api.block.Block;
import org.mirage4j.block.BlockContract;

/** The block device contract for memory of 512-byte sectors. */
class MemoryBlockContractTest extends BlockContract {

    @Override
    protected Block newDevice() {
        return MemoryBlock.create(512, 256);
    }

    @Override
    protected Block newReadOnlyDevice() {
        byte[] image = new byte[8 * 512];
        for (int i = 0; i < image.length; i++) image[i] = (byte) i;
        return MemoryBlock.of(512, image, false);
    }

    @Override
    protected Block reopen(Block device) throws IOException {
        device.disconnect();
        device.connect();
        return device;
    }

}
