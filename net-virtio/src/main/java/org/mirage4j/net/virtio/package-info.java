/**
 * The virtio-net driver: {@link org.mirage4j.net.virtio.VirtioNetwork}, bound by
 * {@link org.mirage4j.net.virtio.VirtioNetworkModule}.
 *
 * <p>Contract: whole Ethernet frames move without a copy of the driver's: a received frame is a
 * {@code ByteBuf} over the DMA buffer the device wrote, owned by the handler, whose release
 * returns the buffer to the receive pool; a frame to send is written by the filler straight into a
 * DMA transmit buffer the driver owns. No offload is negotiated. Elements of the used rings that
 * a misbehaving device gets wrong are counted ({@code deviceErrors()}), logged once and dropped;
 * a device that breaks its rings or asks for a reset is marked FAILED and {@code listen} ends
 * with one sentence saying so.
 */
package org.mirage4j.net.virtio;
