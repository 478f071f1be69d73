/**
 * The virtio-blk driver of the kvm target: {@link org.mirage4j.block.virtio.VirtioBlock}, bound by
 * {@link org.mirage4j.block.virtio.VirtioBlockModule}.
 *
 * <p>Contract: the {@link org.mirage4j.api.block.Block} contract; several requests in flight from
 * several threads; data copied between the caller's buffers (which it keeps) and DMA request
 * buffers, since the device reaches only DMA memory. A device error status is an
 * {@link java.io.IOException} of one sentence naming the request; a used element the device gets
 * wrong fails that request (and is counted by the queue); a device that breaks its ring or asks
 * for a reset fails every request from then on.
 */
package org.mirage4j.block.virtio;
