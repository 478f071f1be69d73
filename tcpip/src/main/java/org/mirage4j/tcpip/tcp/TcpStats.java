package org.mirage4j.tcpip.tcp;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link TcpEngine}'s counters and tables.
 *
 * @param counters every {@link TcpCounter} and its value
 * @param connections connections in the demultiplexing table, TIME-WAIT included
 * @param timeWait connections in TIME-WAIT
 * @param listeners ports listened on
 */
public record TcpStats(Map<TcpCounter, Long> counters, int connections, int timeWait, int listeners) {

    public TcpStats {
        counters = Map.copyOf(counters);
    }

    /** The value of {@code counter}. */
    public long get(TcpCounter counter) {
        return counters.getOrDefault(counter, 0L);
    }

    /** A snapshot of {@code values}, indexed by {@link TcpCounter#ordinal()}. */
    static TcpStats of(long[] values, int connections, int timeWait, int listeners) {
        Map<TcpCounter, Long> map = new EnumMap<>(TcpCounter.class);
        for (TcpCounter counter : TcpCounter.values()) map.put(counter, values[counter.ordinal()]);
        return new TcpStats(map, connections, timeWait, listeners);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TcpStats[connections=").append(connections)
                .append(", timeWait=").append(timeWait).append(", listeners=").append(listeners);
        for (TcpCounter counter : TcpCounter.values()) {
            long value = get(counter);
            if (value != 0) s.append(", ").append(counter.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(value);
        }
        return s.append(']').toString();
    }
}
