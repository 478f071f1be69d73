/**
 * mirage4j's own TCP/IP stack, the counterpart of mirage-tcpip's direct stack: {@link org.mirage4j.tcpip.direct.DirectStack}
 * over any {@link org.mirage4j.api.net.Network} (a tap device, virtio-net, or a
 * {@link org.mirage4j.tcpip.link.ChannelLink} in tests), wired by {@link org.mirage4j.tcpip.direct.DirectStackModule}
 * together with one {@link org.mirage4j.tcpip.direct.Ipv4Source}: {@link org.mirage4j.tcpip.direct.StaticIpv4Module}
 * (the runtime keys {@code ipv4} and {@code ipv4-gateway}) or {@link org.mirage4j.tcpip.direct.DhcpIpv4Module} (a
 * DHCP client, {@link org.mirage4j.tcpip.dhcp}, with the runtime key {@code dhcp-timeout}).
 *
 * <p><b>What works.</b> Ethernet II demultiplexing; ARP (RFC 826) with a bounded cache, retries and a bounded queue of
 * packets per unresolved address, and a gratuitous announcement of each new address; IPv4 (RFC 791) for a host, with routing
 * to the link or a default gateway, fragmentation on send and bounded reassembly on receive; ICMP echo replies and
 * rate-limited port unreachables (RFC 792, RFC 1122 section 3.2.2); UDP (RFC 768) behind
 * {@link org.mirage4j.api.net.Udp}. The stack receives datagrams for its address, broadcasts and the all-hosts
 * group 224.0.0.1; it does not loop datagrams to its own address back to itself. Its address may change while it
 * runs (a DHCP lease lost, or a new one); while it has none, it sends and receives only DHCP (UDP 68 to 67, from
 * 0.0.0.0), and sending anything else fails with a {@link java.net.NoRouteToHostException}. TCP (RFC 9293) behind
 * {@link org.mirage4j.api.net.Tcp}: {@code DirectTcp} and {@link org.mirage4j.tcpip.direct.DirectFlow} are the
 * blocking edges around the sans-IO engine of {@link org.mirage4j.tcpip.tcp}, under one lock; a virtual thread
 * accepts per listening port and one runs each connection's handler, closing its flow when the handler ends.
 * There is no IPv6 yet: its frames are counted and dropped. Over a device with offloads (a tap with
 * {@code IFF_VNET_HDR}, virtio-net with CSUM and HOST_TSO4), TCP sends segments of up to 64 KiB that the device cuts (TSO), leaves their checksums to it,
 * and skips verifying the checksums of received frames the device vouched for; see
 * {@link org.mirage4j.tcpip.direct.DirectStack}.
 *
 * <p><b>Shape.</b> One package-private class per layer ({@code DirectEthernet}, {@code DirectArp}, {@code DirectIpv4},
 * {@code DirectIcmp}, {@code DirectUdp}) implementing the layer's interface from {@code org.mirage4j.api.net}, over
 * state machines that do no I/O and read no clock ({@code ArpTable}, {@code Reassembler}, {@code Routing},
 * {@code RateLimiter}): packets and the time go in as values, packets to send and deadlines come out. Parsing and
 * emitting is {@link org.mirage4j.tcpip.wire}'s. Threads live only at the edges: see {@link org.mirage4j.tcpip.direct.DirectStack}.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Malformed or unwanted input is counted by layer and {@link org.mirage4j.tcpip.direct.DropReason} (see
 *       {@link org.mirage4j.tcpip.direct.DirectStack#stats()}) and dropped; it never throws out of the stack and
 *       never stops the receive loop.</li>
 *   <li>Memory is bounded whatever arrives: the ARP table (1024 entries, 64 packets or 212 992 bytes waiting per
 *       address), reassembly (64 datagrams, 1 MiB, 128 fragments each, 30 s), and each UDP port's queue
 *       (1024 datagrams). Beyond a bound the oldest (or the new) is dropped and counted.</li>
 *   <li>Buffers: every received frame is released exactly once, by the layer that drops it or by whoever it was
 *       handed to; a UDP handler owns its datagram's payload. {@code Udp.write}, {@code Icmp.write} and {@code Flow.write} take their
 *       buffer and release it, also when they throw; {@code Flow.read} returns a pooled buffer its caller releases. Sending never blocks on ARP: an unresolved datagram waits in
 *       ARP's queue and is dropped if nobody answers within 3 requests, 1 s apart.</li>
 *   <li>User errors are one sentence: a bad {@code ipv4}, {@code ipv4-gateway} or {@code dhcp-timeout} key, or no
 *       DHCP server answering in time, is a {@link org.mirage4j.api.DeviceException} from {@code connect()}; no route is a
 *       {@link java.net.NoRouteToHostException}; an IPv6 destination or an oversized payload an
 *       {@link java.lang.IllegalArgumentException}.</li>
 * </ul>
 * Logging goes to the {@link java.lang.System.Logger}s {@code tcpip.direct}, {@code tcpip.arp}, {@code tcpip.ipv4},
 * {@code tcpip.icmp}, {@code tcpip.udp}, {@code tcpip.tcp} and {@code tcpip.dhcp} (leases obtained, renewed and lost, at info).
 */
package org.mirage4j.tcpip.direct;
