package org.mirage4j.block.virtio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.mirage4j.api.block.Block;
import org.mirage4j.block.BlockContract;
import org.mirage4j.virtio.testing.SoftwareBlockDevice;
import org.mirage4j.virtio.testing.SoftwareDmaMemory;
import org.mirage4j.virtio.testing.SoftwareVirtioBus;

/**
 * The block device contract for the virtio-blk driver against the software block device: modern,
 * FLUSH offered, with seg_max and size_max small enough that multi-sector requests are split into
 * several segments, and requests completed last first.
 */
class VirtioBlockContractTest extends BlockContract {

    private final SoftwareDmaMemory memory = new SoftwareDmaMemory();

    @Override
    protected Block newDevice() throws IOException {
        SoftwareVirtioBus bus = new SoftwareVirtioBus(memory);
        SoftwareBlockDevice device = bus.add(new SoftwareBlockDevice(memory, false, 64, Arena.ofAuto().allocate(256 * 512, 8), 0,
                false, true, 4, 1024));
        device.completeInReverse(true);
        VirtioBlock block = new VirtioBlock(bus);
        block.connect();
        return block;
    }

    @Override
    protected Block newReadOnlyDevice() throws IOException {
        SoftwareVirtioBus bus = new SoftwareVirtioBus(memory);
        MemorySegment image = Arena.ofAuto().allocate(8 * 512, 8);
        for (int i = 0; i < image.byteSize(); i++) image.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
        bus.add(new SoftwareBlockDevice(memory, false, 64, image, 0, true, true, 0, 0));
        VirtioBlock block = new VirtioBlock(bus);
        block.connect();
        return block;
    }

    @Override
    protected Block reopen(Block device) throws IOException {
        device.disconnect();
        device.connect();
        return device;
    }
}
