package org.mirage4j.reliability;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.mirage4j.tcpip.direct.DropReason;
import org.mirage4j.tcpip.tcp.TcpStats;

/**
 * The soak run (issue 9, part 4), {@code soak.sh MINUTES}: a {@link StackPair} on a lossy link under
 * {@link SoakLoad}'s mixed load for as long as asked, sampling the heap after a GC, the memory netty's allocator has
 * out, leaks netty's detector reports, and the stack's TCP flows and TIME-WAITs. It prints a row per sample, then
 * the trend of each over the last half of the run, and PASS, or FAIL if any grows, a buffer leaked, a frame's
 * handling threw, or the load stopped being served.
 *
 * <pre>
 * usage: Soak MINUTES [FAULTS]     FAULTS: a FaultSpec for the peer's link (default: 2% loss, 1% duplicates,
 *                                  2% reordering), "none" for a clean link
 * </pre>
 * Exits 0 on PASS, 1 on FAIL, 2 on a usage error.
 */
public final class Soak {

    private static final String DEFAULT_FAULTS = "drop=0.02,duplicate=0.01,reorder=0.02,seed=9";
    /** The page's body: large enough that dropped connections leave data in flight. */
    private static final int PAGE = 64 * 1024;

    private Soak() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].matches("[0-9]+(\\.[0-9]+)?")) {
            System.err.println("usage: Soak MINUTES [FAULTS]  (for example: Soak 10, or Soak 1 drop=0.05)");
            System.exit(2);
        }
        Duration length = Duration.ofMillis((long) (Double.parseDouble(args[0]) * 60_000));
        String faults = args.length > 1 ? (args[1].equals("none") ? "" : args[1]) : DEFAULT_FAULTS;
        System.exit(run(length, faults) ? 0 : 1);
    }

    /** Runs the soak for {@code length}; true on PASS. */
    static boolean run(Duration length, String faults) throws Exception {
        AtomicLong leaks = countLeakReports();
        Duration every = Duration.ofSeconds(Math.max(5, length.toSeconds() / 40));
        System.out.printf("Soak: %s of mixed load on a link with faults '%s', a sample every %s; leak detection %s%n",
                length, faults, every, ResourceLeakDetector.getLevel());
        List<Sample> samples = new ArrayList<>();
        try (StackPair pair = StackPair.start(faults, PAGE)) {
            SoakLoad load = new SoakLoad(pair);
            load.start(8, 4);
            long start = System.nanoTime();
            System.out.println(Sample.HEADER);
            while (System.nanoTime() - start < length.toNanos()) {
                Thread.sleep(Math.min(every.toMillis(), Math.max(1, (length.toNanos() - (System.nanoTime() - start)) / 1_000_000)));
                Sample s = sample(pair, (System.nanoTime() - start) / 1_000_000_000L, leaks.get(), load.counts());
                samples.add(s);
                System.out.println(s.row());
            }
            load.stop();
            long internalErrors = pair.stack().stats().stack().dropped(DropReason.INTERNAL_ERROR);
            System.out.println("stack: " + pair.stack().stats());
            System.out.println("tcp:   " + pair.stack().tcpStats());
            return verdict(samples, internalErrors, leaks.get());
        }
    }

    private static boolean verdict(List<Sample> samples, long internalErrors, long leaks) {
        if (samples.size() < 4) {
            System.out.println("FAIL: " + samples.size() + " samples are too few to see a trend: run for longer.");
            return false;
        }
        List<Trend> trends = List.of(
                Trend.of("heap bytes", samples, Sample::heapBytes, 16 << 20, 0.25),
                Trend.of("netty allocator bytes", samples, Sample::nettyBytes, 4 << 20, 0.25),
                Trend.of("TCP flows", samples, Sample::connections, 64, 0.25),
                Trend.of("TIME-WAIT flows", samples, Sample::timeWait, 64, 0.25));
        trends.forEach(t -> System.out.println(t.line()));
        SoakLoad.Counts first = samples.get(samples.size() / 2).load();
        SoakLoad.Counts last = samples.getLast().load();
        boolean served = last.httpOk() > first.httpOk() && last.udpEchoed() > first.udpEchoed() && last.pings() > first.pings();
        List<String> problems = new ArrayList<>();
        trends.stream().filter(Trend::grows).forEach(t -> problems.add(t.name() + " grow"));
        if (leaks > 0) problems.add(leaks + " leaked buffers");
        if (internalErrors > 0) problems.add(internalErrors + " frames whose handling threw");
        if (!served) problems.add("the load was no longer served in the last half");
        System.out.println(problems.isEmpty() ? "PASS: nothing grows, nothing leaked, the load was served to the end."
                : "FAIL: " + String.join(", ", problems) + ".");
        return problems.isEmpty();
    }

    private static Sample sample(StackPair pair, long seconds, long leaks, SoakLoad.Counts load) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long netty = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider metrics
                ? metrics.metric().usedHeapMemory() + metrics.metric().usedDirectMemory() : -1;
        TcpStats tcp = pair.stack().tcpStats();
        return new Sample(seconds, heap, netty, tcp.connections(), tcp.timeWait(), leaks, load);
    }

    /** Counts the leak reports netty logs (through java.util.logging, its fallback logger). */
    private static AtomicLong countLeakReports() {
        AtomicLong count = new AtomicLong();
        Logger logger = Logger.getLogger(ResourceLeakDetector.class.getName());
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().contains("LEAK")) count.incrementAndGet();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return count;
    }
}
