package org.mirage4j.api.net;

/**
 * What a {@link Network} device does for the stack beyond moving plain frames: virtio-net's checksum and
 * segmentation offloads, which the tap device ({@code IFF_VNET_HDR}) and virtio-net share.
 *
 * <p>With any offload on, every frame in both directions carries a {@link VirtioNetHeader} in front of it (see there
 * for where it lives and what it says): received frames say whether their checksum is verified or left partial, and
 * whether they coalesce several TCP segments; a frame to send may ask the device to finish its checksum or to cut
 * it into MSS-sized TCP segments.
 *
 * @param checksum received frames may carry a partial checksum (the local kernel left it to the "hardware") or one
 *     the device verified already, as their header says; a frame to send may leave its TCP checksum partial
 * @param tcpSegmentation a TCP/IPv4 frame to send may be up to {@code maxFrameSize} octets, which the device cuts
 *     into segments of the size its header names (TSO); needs {@code checksum}
 * @param largeReceive received frames may be up to {@code maxFrameSize} octets: TCP segments coalesced by the device
 *     (GRO, or a sender on the same host whose TSO segment was never cut); needs {@code checksum}
 * @param maxFrameSize the largest frame, Ethernet header included (header in front excluded), that {@code write}
 *     takes and {@code listen} delivers when {@code tcpSegmentation} or {@code largeReceive} is on; 0 otherwise
 */
public record Offloads(boolean checksum, boolean tcpSegmentation, boolean largeReceive, int maxFrameSize) {

    /** No offload: plain frames of at most the MTU plus the Ethernet header, no header in front. */
    public static final Offloads NONE = new Offloads(false, false, false, 0);

    /** The largest frame an offload can carry: an IPv4 datagram of 65535 octets behind a 14-octet Ethernet header. */
    public static final int MAX_FRAME_SIZE = 14 + 65_535;

    /** Every offload, with frames of up to {@link #MAX_FRAME_SIZE}: what a stack that handles them all asks for. */
    public static final Offloads ALL = new Offloads(true, true, true, MAX_FRAME_SIZE);

    /**
     * @throws IllegalArgumentException if segmentation or large receive is asked without checksum offload, or
     *     {@code maxFrameSize} is not in 0 to {@link #MAX_FRAME_SIZE} (and positive when large frames are on)
     */
    public Offloads {
        if ((tcpSegmentation || largeReceive) && !checksum) {
            throw new IllegalArgumentException("TCP segmentation and large receive need checksum offload too.");
        }
        boolean large = tcpSegmentation || largeReceive;
        if (maxFrameSize < 0 || maxFrameSize > MAX_FRAME_SIZE || (maxFrameSize == 0) == large) {
            throw new IllegalArgumentException("maxFrameSize must be 1 to " + MAX_FRAME_SIZE
                    + " when large frames are on, 0 otherwise, not " + maxFrameSize + ".");
        }
    }

    /** Whether frames carry a {@link VirtioNetHeader} in front: any offload is on. */
    public boolean header() {
        return checksum;
    }

    /** The offloads that both this and {@code other} have, with the smaller frame size. */
    public Offloads intersect(Offloads other) {
        boolean csum = checksum && other.checksum;
        boolean tso = csum && tcpSegmentation && other.tcpSegmentation;
        boolean large = csum && largeReceive && other.largeReceive;
        return new Offloads(csum, tso, large, tso || large ? Math.min(maxFrameSize, other.maxFrameSize) : 0);
    }
}
