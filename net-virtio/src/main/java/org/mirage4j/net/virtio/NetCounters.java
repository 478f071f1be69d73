package org.mirage4j.net.virtio;

import java.util.concurrent.atomic.LongAdder;
import org.mirage4j.api.net.NetworkStats;

/** The counters of one connection, updated by the receive loop and by any writing thread. */
final class NetCounters {

    final LongAdder rxPackets = new LongAdder();
    final LongAdder rxBytes = new LongAdder();
    final LongAdder rxDropped = new LongAdder();
    final LongAdder txPackets = new LongAdder();
    final LongAdder txBytes = new LongAdder();
    final LongAdder txErrors = new LongAdder();

    /** The counts now; each is exact, the six together are not one atomic snapshot. */
    NetworkStats snapshot() {
        return new NetworkStats(rxPackets.sum(), rxBytes.sum(), rxDropped.sum(), txPackets.sum(), txBytes.sum(), txErrors.sum());
    }
}
