/**
 * The virtio PCI transport on Linux (VIRTIO 1.2 §4.1): functions of vendor 0x1af4 found in sysfs,
 * bound to {@code uio_pci_generic}, bus mastering enabled through the {@code config} file; the
 * modern capabilities' BARs mapped from {@code resourceN}, or the legacy I/O BAR read and written
 * through {@code resource0}. Interrupts come from {@code /dev/uioN}; without it the transport
 * polls.
 *
 * <p>Contract: {@link org.mirage4j.virtio.pci.PciVirtioDevices#open} returns a reset device whose
 * registers stay mapped until the transport closes; a capability that points outside its BAR is
 * refused, never followed.
 */
package org.mirage4j.virtio.pci;
