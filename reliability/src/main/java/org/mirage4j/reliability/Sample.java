package org.mirage4j.reliability;

/**
 * One row of the soak table: what the process holds at {@code seconds} into the run, measured after a GC, and the
 * load done so far.
 *
 * @param seconds since the load started
 * @param heapBytes heap in use after a full GC
 * @param nettyBytes memory netty's default allocator has handed out and not got back (heap and direct)
 * @param connections TCP connections in the stack's table, TIME-WAIT included
 * @param timeWait of those, in TIME-WAIT
 * @param leaks buffers netty's leak detector reported as never released
 * @param load the load done so far
 */
record Sample(long seconds, long heapBytes, long nettyBytes, int connections, int timeWait, long leaks, SoakLoad.Counts load) {

    static final String HEADER = String.format("%7s %9s %10s %6s %6s %5s %8s %6s %8s %8s %6s",
            "seconds", "heap MiB", "netty KiB", "flows", "tw", "leaks", "http ok", "failed", "aborted", "udp", "pings");

    String row() {
        return String.format("%7d %9.1f %10.1f %6d %6d %5d %8d %6d %8d %8d %6d", seconds, heapBytes / 1048576.0,
                nettyBytes / 1024.0, connections, timeWait, leaks, load.httpOk(), load.httpFailed(), load.aborted(),
                load.udpEchoed(), load.pings());
    }
}
