package org.mirage4j.tcpip.link;

import java.util.concurrent.atomic.LongAdder;

/** The running counts of one direction of a {@link FaultyNetwork}; updated from any thread, read at any time. */
final class FaultCounters {

    final LongAdder dropped = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder reordered = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final LongAdder flipped = new LongAdder();
    final LongAdder truncated = new LongAdder();

    /** The counts now; a snapshot taken while frames flow may be a few frames behind. */
    FaultCounts snapshot() {
        return new FaultCounts(dropped.sum(), duplicated.sum(), reordered.sum(), delayed.sum(), flipped.sum(),
                truncated.sum());
    }
}
