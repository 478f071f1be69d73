package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * Where the engine sends segments: the caller wraps each in IPv4 and puts it on the link.
 *
 * <p>Called synchronously from inside the engine's methods, on the thread that called them. The sink must not call
 * back into the engine.
 */
@FunctionalInterface
public interface SegmentSink {

    /**
     * Sends one segment from {@code source} to {@code destination}.
     *
     * <p>{@code payload} is <b>borrowed</b>: its readable bytes are the segment's data, a slice of the connection's
     * send buffer (or an empty buffer). It is valid only during this call: the sink copies it into the packet
     * (as {@link TcpRepr#emit} does) and neither keeps, retains nor releases it, nor moves its indexes.
     */
    void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload);
}
