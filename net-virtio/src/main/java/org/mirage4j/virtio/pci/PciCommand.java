package org.mirage4j.virtio.pci;

import org.mirage4j.virtio.linux.ErrnoException;
import org.mirage4j.virtio.linux.NativeFile;

/**
 * The PCI command register (offset 4 of the configuration space), written through sysfs's
 * {@code config} file. uio_pci_generic enables the device's decoding but not bus mastering, which
 * DMA needs; and it masks INTx (bit 10) on each interrupt without offering a way to unmask it
 * through {@code /dev/uioN}, so the driver clears the bit here (as DPDK does).
 */
final class PciCommand {

    static final int OFFSET = 0x04;
    static final int IO_SPACE = 0x1;
    static final int MEMORY_SPACE = 0x2;
    static final int BUS_MASTER = 0x4;
    static final int INTX_DISABLE = 0x400;

    private PciCommand() {}

    /** Enables memory decoding and bus mastering, and I/O decoding when {@code io}; unmasks INTx. */
    static void enable(NativeFile config, boolean io) throws ErrnoException {
        long command = config.read(OFFSET, 2);
        long wanted = (command | MEMORY_SPACE | BUS_MASTER | (io ? IO_SPACE : 0)) & ~INTX_DISABLE;
        if (wanted != command) config.write(OFFSET, 2, wanted);
    }

    /** Clears INTx Disable, which the kernel set when the interrupt came. */
    static void unmaskInterrupt(NativeFile config) throws ErrnoException {
        long command = config.read(OFFSET, 2);
        if ((command & INTX_DISABLE) != 0) config.write(OFFSET, 2, command & ~INTX_DISABLE);
    }
}
