package org.mirage4j.tcpip.direct;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind a {@link LayerStats}; safe to update from any thread, allocating nothing. */
final class LayerCounters {

    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final AtomicLongArray dropped = new AtomicLongArray(REASONS.length);

    void received() {
        received.increment();
    }

    void sent() {
        sent.increment();
    }

    void drop(DropReason reason) {
        dropped.incrementAndGet(reason.ordinal());
    }

    long dropped(DropReason reason) {
        return dropped.get(reason.ordinal());
    }

    LayerStats snapshot() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : REASONS) {
            long n = dropped.get(reason.ordinal());
            if (n != 0) drops.put(reason, n);
        }
        return new LayerStats(received.sum(), sent.sum(), drops);
    }
}
