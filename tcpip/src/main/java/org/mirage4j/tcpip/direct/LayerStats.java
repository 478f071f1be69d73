package org.mirage4j.tcpip.direct;

import java.util.Map;

/**
 * Counters of one layer of the direct stack since it was made.
 *
 * @param received packets the layer accepted from below (or, for UDP, datagrams handed towards a port)
 * @param sent packets the layer handed down to be sent
 * @param dropped packets dropped, by reason; reasons never seen are absent
 */
public record LayerStats(long received, long sent, Map<DropReason, Long> dropped) {

    public LayerStats {
        dropped = Map.copyOf(dropped);
    }

    /** How many packets were dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** How many packets were dropped, for any reason. */
    public long totalDropped() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
