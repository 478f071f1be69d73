/**
 * The virtio core (VIRTIO 1.2, and legacy 0.9.5 where a device offers only that): what a driver
 * needs from the machine, split in three so that drivers run unchanged on a PCI device bound to
 * {@code uio_pci_generic}, on a virtio-mmio device, and on the software device the tests use.
 *
 * <ul>
 *   <li>{@link org.mirage4j.virtio.VirtioBus} finds a device of a given type and hands out the
 *       memory its rings and buffers live in;
 *   <li>{@link org.mirage4j.virtio.VirtioTransport} is one device's registers: status, features,
 *       configuration space, queue setup, notifications and interrupts (VIRTIO 1.2 §4);
 *   <li>{@link org.mirage4j.virtio.DmaMemory} is memory the device reads and writes by DMA, with the
 *       address the device knows it by.
 * </ul>
 *
 * <p>Everything above these three interfaces (virtqueues, feature negotiation, the net and block
 * drivers) is plain Java over {@link java.lang.foreign.MemorySegment}s and is tested without a VM:
 * {@link org.mirage4j.virtio.VirtioDevice} initialises a device and negotiates its features (only
 * those the driver asks for, VERSION_1 on modern devices); {@link org.mirage4j.virtio.Virtqueue} is
 * the driver's side of a split virtqueue, modern or legacy layout, with event-index suppression;
 * {@link org.mirage4j.virtio.DmaSlots} carves packet and request buffers out of DMA memory.
 *
 * <p>A misbehaving device cannot corrupt the driver: the queue's bookkeeping lives in Java arrays,
 * used elements with bad ids or lengths are counted, logged once and dropped, and a ring whose
 * invariants break marks the device FAILED with one sentence.
 */
package org.mirage4j.virtio;
