package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;

/** Where a layer hands a received packet up: the ARP or IPv4 input of a frame's payload. */
@FunctionalInterface
interface PacketInput {

    /**
     * Handles one packet whose readable bytes start at the layer's header. Takes ownership of {@code packet};
     * never throws on malformed input.
     *
     * @param now the monotonic time of arrival, in nanoseconds
     */
    void input(ByteBuf packet, long now);
}
