/**
 * Benchmarks of mirage4j's direct stack: JMH benchmarks of the per-packet costs ({@link TcpReceiveBenchmark},
 * {@link TcpSendBenchmark}) and of each wire format's parse and emit ({@link WireBenchmark}), and {@link TcpBulk},
 * the bulk TCP source and sink that {@code benchmarks/tcp-throughput.py} runs on the direct stack and on the host's
 * sockets.
 *
 * <p>Nothing here is a test: the normal build compiles it and runs none of it. {@code benchmarks/jmh.py} and the
 * scripts next to it run the benchmarks and write their figures into BENCHMARKS.md. The per-packet benchmarks drive
 * a real {@link org.mirage4j.tcpip.direct.DirectStack} through its public API only: frames go in through an in-memory
 * device ({@link MemoryLink}) on the benchmark's thread, as the receive loop would hand them over.
 */
package org.mirage4j.benchmarks;
