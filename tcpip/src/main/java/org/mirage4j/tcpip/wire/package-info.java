/**
 * Wire formats of the direct stack: Ethernet II, ARP, IPv4, ICMPv4, UDP, TCP and DHCP, the Internet checksum, and
 * TCP's wrap-around sequence numbers ({@link org.mirage4j.tcpip.wire.SeqNum}).
 *
 * <p>Each format comes in two parts, as in smoltcp:
 * <ul>
 *   <li>a <em>view</em> ({@code EthernetFrame}, {@code ArpPacket}, {@code Ipv4Packet}, {@code Icmpv4Packet},
 *       {@code UdpPacket}, {@code TcpPacket}, {@code DhcpPacket}): a reusable, zero-copy window on a region of a
 *       {@link io.netty.buffer.ByteBuf}. {@code wrap(buf, index, length)} first checks every length the accessors
 *       depend on and binds the view only if they hold. <b>After a successful {@code wrap}, no accessor throws</b>,
 *       whatever the bytes are. A view reads fields as they are; it judges no meaning.</li>
 *   <li>a <em>representation</em> ({@code EthernetRepr}, {@code ArpRepr}, {@code Ipv4Repr}, {@code Icmpv4Repr},
 *       {@code UdpRepr}, {@code TcpRepr} with its {@code TcpOption}s, {@code DhcpRepr}): an immutable record of
 *       what the header means. {@code parse(view)} validates the semantics (version, checksum, known numbers) and
 *       {@code emit(out)} writes a correct header, checksum included. For every representation {@code r},
 *       {@code parse(emit(r))} equals {@code r}.</li>
 * </ul>
 *
 * <p>Malformed input never raises an exception: {@code wrap} returns a {@link org.mirage4j.tcpip.wire.Malformed}
 * reason (or {@code null} when the region is well formed) and {@code parse} returns
 * {@link org.mirage4j.tcpip.wire.Parsed.Rejected}, so the stack can count the reason and drop the packet.
 * Exceptions are kept for programming errors: a region outside its buffer, or a representation built from
 * out-of-range values.
 *
 * <p><b>Buffers.</b> Nothing in this package retains or releases a {@code ByteBuf}. A view borrows the buffer it
 * wraps: the caller keeps ownership, must keep it alive while using the view, and must not change the wrapped
 * bytes behind the view's back. Slices a view returns ({@code payload()}) are derived buffers that share the
 * reference count and are not retained. {@code emit} writes at the writer index of a buffer the caller owns.
 * All buffers are read and written in network byte order (netty's default, big-endian).
 *
 * <p>Nothing here does I/O, reads a clock or keeps state between calls beyond a view's binding; every class may be
 * used from any thread, a view from one thread at a time.
 */
package org.mirage4j.tcpip.wire;
