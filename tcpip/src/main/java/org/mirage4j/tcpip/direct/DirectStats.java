package org.mirage4j.tcpip.direct;

/**
 * The counters of a {@link DirectStack}, layer by layer, since it was made.
 *
 * @param ethernet frames taken from the device and sent to it; drops: not for us, unknown EtherType, truncated
 * @param arp ARP packets; drops include packets that waited for an address nobody resolved
 * @param ipv4 IPv4 packets (fragments counted one by one); drops include reassembly's
 * @param icmp ICMP messages; drops include errors not sent because of the rate limit
 * @param udp UDP datagrams; drops include closed ports and full port queues
 * @param stack frames the receive loop itself dropped: after disconnect, or when handling failed unexpectedly
 */
public record DirectStats(LayerStats ethernet, LayerStats arp, LayerStats ipv4, LayerStats icmp, LayerStats udp, LayerStats stack) {

    /** Frames or packets dropped by every layer together. */
    public long totalDropped() {
        return ethernet.totalDropped() + arp.totalDropped() + ipv4.totalDropped() + icmp.totalDropped()
                + udp.totalDropped() + stack.totalDropped();
    }
}
