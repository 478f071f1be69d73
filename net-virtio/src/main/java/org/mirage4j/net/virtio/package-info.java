/**
 * The virtio-net driver: {@link org.mirage4j.net.virtio.VirtioNetwork}, bound by
 * {@link org.mirage4j.net.virtio.VirtioNetworkModule}.
 *
 * <p>Contract: whole Ethernet frames move without a copy of the driver's: a received frame is a
 * {@code ByteBuf} over the DMA buffer the device wrote, owned by the handler, whose release
 * returns the buffer to the receive pool; a frame to send is written by the filler straight into a
 * DMA transmit buffer the driver owns. Checksum offload both ways and TCP/IPv4 segmentation are
 * negotiated with a VIRTIO 1.x device and used once the stack asks ({@code enableOffloads}): frames
 * then carry their virtio_net_hdr in front of the reader index and a frame to send may be up to
 * 64 KiB; until then the driver finishes partial checksums itself and the stack sees plain frames.
 * No large receive and no MRG_RXBUF: receive buffers hold one frame of the MTU. Elements of the used rings that
 * a misbehaving device gets wrong are counted ({@code deviceErrors()}), logged once and dropped;
 * a device that breaks its rings or asks for a reset is marked FAILED and {@code listen} ends
 * with one sentence saying so.
 */
package org.mirage4j.net.virtio;
