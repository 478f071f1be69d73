package org.mirage4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof org.mirage4j.benchmarks.CpuTimeProfiler}) that reports the CPU time the benchmark's JVM
 * spent per operation, {@code cpu.time.norm}: the average time per operation scaled by the share of the iteration's
 * wall-clock time the process was on a CPU. On a machine shared with other work, the wall-clock time per operation
 * grows with the load while this figure does not; it counts every thread of the JVM (the stack's timer, the JIT and
 * GC included), so it is an upper bound of the benchmark thread's own cost. Meaningful for average-time benchmarks.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;
    private long wallAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the JVM per operation (average time scaled by the process's CPU share of the iteration)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
        wallAtStart = System.nanoTime();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        double cpu = os.getProcessCpuTime() - cpuAtStart;
        double wall = System.nanoTime() - wallAtStart;
        double perOp = result.getPrimaryResult().getScore() * (cpu / wall);
        return List.of(new ScalarResult("cpu.time.norm", perOp, result.getPrimaryResult().getScoreUnit(), AggregationPolicy.AVG));
    }
}
