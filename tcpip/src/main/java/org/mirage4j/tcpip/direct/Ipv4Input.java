package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import org.mirage4j.tcpip.wire.Ipv4Repr;

/** Where IPv4 hands a received datagram up: ICMP, UDP or TCP. */
@FunctionalInterface
interface Ipv4Input {

    /**
     * Handles one whole datagram (reassembled if it came in fragments). Takes ownership of {@code payload},
     * whose readable bytes are the datagram's payload; never throws on malformed input.
     *
     * @param header the datagram's header; for a reassembled one, its first fragment's with the fragment
     *     fields cleared and the whole payload's length
     * @param now the monotonic time of arrival, in nanoseconds
     */
    void input(Ipv4Repr header, ByteBuf payload, long now);
}
