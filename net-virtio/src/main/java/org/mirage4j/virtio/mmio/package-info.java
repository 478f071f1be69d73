/**
 * The virtio-mmio transport on Linux (VIRTIO 1.2 §4.2, version 2 and legacy version 1), as QEMU's
 * microvm machine and Firecracker offer it: registers mapped from {@code /dev/mem}, polled.
 *
 * <p>Contract: finding devices only reads the magic, version and device id registers of the
 * windows the kernel command line names (or, on a machine without PCI, of microvm's default
 * slots); {@link org.mirage4j.virtio.mmio.MmioVirtioDevices#open} returns a reset device.
 */
package org.mirage4j.virtio.mmio;
