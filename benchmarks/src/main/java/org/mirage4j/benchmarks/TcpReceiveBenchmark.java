package org.mirage4j.benchmarks;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.net.Flow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of receiving one full-sized TCP segment (1460 octets of data) through Ethernet, IPv4 and TCP on an
 * established connection, and of the application reading it from the flow: all on the benchmark's thread, so no
 * thread hand-off is measured (the flow has the data when {@code read} is called, so it does not block). The ACKs
 * the stack sends (one per two segments) go out through the in-memory link and are counted in. The peer's frame is
 * a copy of a template into a pooled buffer, as a device would fill one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=DISABLED"})
public class TcpReceiveBenchmark {

    private EstablishedConnection connection;
    private Flow flow;

    @Setup(Level.Trial)
    public void open() throws Exception {
        connection = new EstablishedConnection();
        flow = connection.flow();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        connection.close();
    }

    /** One data segment in, then read out of the flow and released; returns the octets read. */
    @Benchmark
    public int receiveSegment() throws IOException {
        connection.awaitWindow(); // never waits while every segment is read at once; a guard against a stuck window
        connection.link.deliver(connection.peer.data());
        ByteBuf data = flow.read(); // ours to release
        int length = data.readableBytes();
        data.release();
        return length;
    }
}
