/**
 * The host-socket stack: {@link org.mirage4j.api.net.StackV4V6} over the host's TCP/IP through
 * java.net and NIO, the default network of the unix target (mirage-tcpip's socket stack).
 * Wire it with {@link org.mirage4j.tcpip.socket.SocketStackModule}; it needs the runtime key
 * {@code ipv4} (an {@link org.mirage4j.api.net.Ipv4Prefix}; {@code 0.0.0.0/0}, the default, binds
 * the wildcard, dual-stack where the host allows).
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>Threads. All virtual. TCP: one accept loop per listening port, one thread per accepted
 *       flow running its handler; the flow is closed when the handler returns or throws, and an
 *       exception is logged at warning and ends only that flow. UDP: per listening port one receive
 *       loop and one delivery thread that calls the handler one datagram at a time, in arrival
 *       order. Reads and writes block only the calling virtual thread.
 *   <li>Memory. Received bytes land in buffers of netty's pooled allocator. A UDP port queues at
 *       most a fixed number of datagrams (1024) for its handler, each in a buffer of its own size;
 *       beyond that datagrams are counted ({@link org.mirage4j.tcpip.socket.SocketStack#udpDropped()})
 *       and dropped, and the receive loop never blocks.
 *   <li>Ownership. {@code Flow.read()} and a UDP handler hand the buffer over: the receiver
 *       releases it. {@code Flow.write} and {@code Udp.write} take the buffer and release it, also
 *       when they throw.
 *   <li>Errors. A port that cannot be bound is a {@link java.net.BindException} with one sentence
 *       naming the port and what to do; a refused connection a {@link java.net.ConnectException}
 *       naming the destination; a read timeout a {@link java.net.SocketTimeoutException}; a payload
 *       over {@link org.mirage4j.api.net.Udp#MAX_PAYLOAD} an {@link java.lang.IllegalArgumentException}.
 *       A closed flow reads {@code null}: {@code close()} from another thread unblocks a read that way.
 *   <li>Shutdown. {@code disconnect()} closes every listener and open flow, frees the ports before
 *       it returns, and makes {@code listen()} return; later calls fail with a
 *       {@link java.net.SocketException}.
 * </ul>
 *
 * <p>Limits of host sockets: a received {@link org.mirage4j.api.net.Datagram}'s destination is the
 * stack's address, or {@code 0.0.0.0} ({@code ::} for an IPv6 sender) when the stack serves on
 * every host address, since the socket API does not say which address a datagram was sent to.
 * Logging goes to the {@link java.lang.System.Logger} named {@code tcpip.socket}.
 */
package org.mirage4j.tcpip.socket;
