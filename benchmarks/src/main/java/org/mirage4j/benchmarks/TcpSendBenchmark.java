package org.mirage4j.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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
 * The cost of sending one full-sized TCP segment on an established connection: the application writes 1460 octets
 * to the flow (one reused direct buffer, retained for each write since the flow releases what it is given, so that
 * what is measured allocating is the stack's), the stack copies them into its send buffer and emits
 * the segment through TCP, IPv4 and Ethernet into the in-memory link, and the peer's ACK for it comes back in and
 * frees the send buffer. One ACK per segment is twice what Linux sends, so this leans to the expensive side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=DISABLED"})
public class TcpSendBenchmark {

    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private ByteBuf payload;
    private EstablishedConnection connection;
    private Flow flow;

    @Setup(Level.Trial)
    public void open() throws Exception {
        connection = new EstablishedConnection();
        flow = connection.flow();
        payload = allocator.directBuffer(TcpPeer.MSS).writeZero(TcpPeer.MSS);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        connection.close();
        payload.release();
    }

    /** One segment's worth written, then the peer acknowledges everything sent so far. */
    @Benchmark
    public void sendSegment() throws IOException {
        flow.write(payload.setIndex(0, TcpPeer.MSS).retain()); // the flow releases the reference it is given
        connection.link.deliver(connection.peer.ack(connection.peer.stackSeqNext()));
    }
}
