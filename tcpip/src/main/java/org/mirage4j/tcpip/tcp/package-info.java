/**
 * TCP (RFC 9293) as a sans-IO protocol engine: {@link org.mirage4j.tcpip.tcp.TcpEngine} takes segments and the time
 * in, and puts segments and its next deadline out. It does no I/O, reads no clock and starts no thread; the direct
 * stack wraps it in IPv4, feeds it time, and blocks application threads on its {@link org.mirage4j.tcpip.tcp.TcpEvents}.
 *
 * <p><b>Shape</b> (one class per role, as in gVisor's netstack):
 * <ul>
 *   <li>{@link org.mirage4j.tcpip.tcp.TcpEngine}: demultiplexing by {@link org.mirage4j.tcpip.tcp.FourTuple},
 *       {@link org.mirage4j.tcpip.tcp.Listener}s with bounded backlogs and SYN cookies ({@code SynCookies}, RFC 4987),
 *       the bounded TIME-WAIT table, the timer queue, resets for segments to nothing;</li>
 *   <li>{@link org.mirage4j.tcpip.tcp.Connection}: the state machine of RFC 9293 section 3.10 with RFC 5961's
 *       challenge ACKs and RFC 7323's PAWS, over {@code Sender} (SND.UNA, SND.NXT, SND.WND...: Nagle, silly window
 *       avoidance, RFC 6298 retransmission, RFC 6582 NewReno and RFC 6675 SACK recovery, zero-window probes) and
 *       {@code Receiver} (RCV.NXT, RCV.WND, out-of-order data, SACK blocks, delayed ACKs);</li>
 *   <li>{@code Handshake} (the SYNs and the options they settle: MSS, window scale, SACK, timestamps),
 *       {@code RttEstimator} (RFC 6298), {@code SackScoreboard}, {@code Assembler}, {@code RingBuffer},
 *       {@code IsnGenerator} (RFC 6528), and {@link org.mirage4j.tcpip.tcp.cc.CongestionControl} with NewReno and
 *       CUBIC (the default).</li>
 * </ul>
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Malformed segments (truncated, bad data offset or option lengths, bad checksum) are counted
 *       ({@link org.mirage4j.tcpip.tcp.TcpCounter}) and dropped; nothing a peer sends throws out of the engine.</li>
 *   <li>Memory is bounded whatever peers do: per connection, the send and receive buffers
 *       ({@link org.mirage4j.tcpip.tcp.TcpConfig#sendBufferSize()}, {@link org.mirage4j.tcpip.tcp.TcpConfig#receiveBufferSize()};
 *       out-of-order data lives inside the receive buffer, in at most
 *       {@link org.mirage4j.tcpip.tcp.TcpConfig#outOfOrderLimit()} runs) and 64 SACK runs; per listener, its
 *       backlog; and the TIME-WAIT table ({@link org.mirage4j.tcpip.tcp.TcpConfig#timeWaitLimit()}). Half-open
 *       connections beyond a backlog cost nothing: SYN cookies.</li>
 *   <li>Backpressure: {@link org.mirage4j.tcpip.tcp.Connection#sendSpace()} is 0 while the send buffer is full;
 *       {@link org.mirage4j.tcpip.tcp.Connection#write} then takes nothing.</li>
 *   <li>Buffers: {@link org.mirage4j.tcpip.tcp.TcpEngine#input} borrows the segment; the application's buffers
 *       are copied from and into, never kept; payloads given to the {@link org.mirage4j.tcpip.tcp.SegmentSink} are
 *       borrowed views of a send buffer. Send and receive buffers come from the allocator (pooled); one of the
 *       smallest size stays while the connection is busy, is given back after a second without data, and every
 *       buffer goes back when the connection ends; one the application holds ends with its {@code close} or
 *       {@code abort}.</li>
 *   <li>Time: every entry point takes {@code now} in monotonic nanoseconds and never reads a clock, so tests run
 *       in virtual time; {@link org.mirage4j.tcpip.tcp.TcpEngine#poll} runs what is due and returns the next
 *       deadline.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Nothing here is thread-safe: the caller serializes every call into an engine and its
 * connections and listeners with one lock.
 *
 * <p><b>Not yet.</b> IPv6; ECN (RFC 3168); D-SACK (RFC 2883); limited transmit (RFC 3042); RACK-TLP (RFC 8985);
 * path MTU discovery; urgent data (the URG bit is ignored, RFC 6093); allocation-free steady state (segments are
 * described by small records).
 */
package org.mirage4j.tcpip.tcp;
