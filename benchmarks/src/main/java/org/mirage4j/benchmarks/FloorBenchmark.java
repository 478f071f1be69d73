package org.mirage4j.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor the per-packet figures are read against, measured in the same run: the work no software stack without
 * checksum offload avoids for a full-sized segment, that is one pass of the Internet checksum over its 1480 octets
 * (TCP header and data) and one copy of its 1460 octets of data (into a socket buffer, or out of one). Both are
 * written here as plainly fast as Java allows (8 octets per step; {@code System.arraycopy}), independent of the
 * stack's own code, so that the floor does not move when the stack does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] segment = new byte[1480];
    private final byte[] copy = new byte[1460];

    @Benchmark
    public int checksumAndCopySegment() {
        long sum = 0;
        for (int i = 0; i < segment.length; i += 8) {
            long word = (long) LONGS.get(segment, i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL); // RFC 1071 section 2: sum wide, fold at the end
        }
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        System.arraycopy(segment, 20, copy, 0, copy.length);
        return ~(int) sum & 0xFFFF;
    }
}
