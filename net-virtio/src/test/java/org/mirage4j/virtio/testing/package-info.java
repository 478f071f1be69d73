/**
 * The software virtio device, shipped in net-virtio's test-jar: the device side of split
 * virtqueues in ordinary Java, so that every driver path runs without a VM.
 *
 * <ul>
 *   <li>{@link org.mirage4j.virtio.testing.SoftwareDmaMemory}: DMA memory in arenas, at made-up
 *       device addresses the device translates back (and refuses outside live regions);
 *   <li>{@link org.mirage4j.virtio.testing.SoftwareVirtioBus}: hands out the devices a test plugs in;
 *   <li>{@link org.mirage4j.virtio.testing.SoftwareDevice}: the registers and a worker thread per
 *       device, modern or legacy, with {@link org.mirage4j.virtio.testing.DeviceRing} for each queue;
 *   <li>{@link org.mirage4j.virtio.testing.SoftwareNetDevice}: a wire the test injects frames into
 *       and reads sent frames from; {@link org.mirage4j.virtio.testing.SoftwareBlockDevice}: a disk
 *       in a memory segment, optionally read-only, with flush counting and seg/size limits.
 * </ul>
 *
 * <p>Contract: a correct driver never makes a device fault; a test makes it misbehave only on
 * request ({@link org.mirage4j.virtio.testing.Misbehaviour}, stall, reset request).
 */
package org.mirage4j.virtio.testing;
