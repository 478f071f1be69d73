/**
 * The kvm target's {@link org.mirage4j.virtio.VirtioBus}: PCI virtio functions (through
 * {@link org.mirage4j.virtio.pci}) before virtio-mmio ones ({@link org.mirage4j.virtio.mmio}),
 * each claimed by one driver at a time, and {@link org.mirage4j.virtio.DmaMemory} carved from
 * huge pages whose physical addresses come from {@code /proc/self/pagemap}.
 *
 * <p>Contract: a driver asking for a device type the VM lacks gets one
 * {@link org.mirage4j.api.DeviceException} sentence naming the {@code run.sh} option that adds it;
 * memory that runs out says which kernel parameter reserves more.
 */
package org.mirage4j.virtio.bus;
