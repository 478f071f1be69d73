package org.mirage4j.net.virtio;

/** Feature bits and configuration-space offsets of a virtio network device (VIRTIO 1.2 §5.1). */
final class NetConfig {

    /** The device finishes partial checksums of frames the driver sends (VIRTIO_NET_F_CSUM). */
    static final int F_CSUM = 0;
    /** The driver takes received frames with partial or verified checksums (VIRTIO_NET_F_GUEST_CSUM). */
    static final int F_GUEST_CSUM = 1;
    /** The device cuts TCP/IPv4 frames the driver sends into segments (VIRTIO_NET_F_HOST_TSO4). */
    static final int F_HOST_TSO4 = 11;
    /** The device has a maximum MTU in its configuration. */
    static final int F_MTU = 3;
    /** The device has a MAC address in its configuration. */
    static final int F_MAC = 5;

    /** Offset of {@code u8 mac[6]}. */
    static final int MAC_OFFSET = 0;
    /** Offset of {@code le16 mtu}. */
    static final int MTU_OFFSET = 10;

    /** The virtio_net_hdr of a VERSION_1 device: with num_buffers, always (§5.1.6). */
    static final int HEADER_MODERN = 12;
    /** The legacy virtio_net_hdr without MRG_RXBUF: no num_buffers field. */
    static final int HEADER_LEGACY = 10;

    /** The queues: receiveq1 is 0, transmitq1 is 1 (§5.1.2). */
    static final int RECEIVE_QUEUE = 0;
    static final int TRANSMIT_QUEUE = 1;

    /** An Ethernet header, which the MTU does not count. */
    static final int ETHERNET_HEADER = 14;
    /** The MTU when the device does not give one. */
    static final int DEFAULT_MTU = 1500;

    private NetConfig() {}
}
