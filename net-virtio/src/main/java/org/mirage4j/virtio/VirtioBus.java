package org.mirage4j.virtio;

import org.mirage4j.api.DeviceException;

/**
 * Where virtio devices are found: PCI devices bound to {@code uio_pci_generic}, virtio-mmio
 * devices, or a software device in tests. Drivers call it from their {@code connect()}; one bus
 * serves every driver of a unikernel, so implementations are singletons and safe to call from
 * several threads.
 */
public interface VirtioBus {

    /** Device type of a network card (VIRTIO 1.2 §5). */
    int NETWORK = 1;
    /** Device type of a block device (VIRTIO 1.2 §5). */
    int BLOCK = 2;

    /**
     * Claims the first device of {@code deviceType} that no driver has claimed yet, and returns its
     * registers, the device reset and not yet acknowledged. The caller closes the transport when
     * it disconnects, which releases the claim.
     *
     * @throws DeviceException when there is no such device, with one sentence saying how to add one
     *     (for example the QEMU option)
     */
    VirtioTransport claim(int deviceType) throws DeviceException;

    /** The memory rings and buffers are allocated from; the same for every device of this bus. */
    DmaMemory memory();
}
