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
     * <p>{@code payload} is <b>borrowed</b>: its readable bytes are the segment's data, in the connection's send
     * buffer itself (its indexes set around them; no slice is made per segment) or an empty buffer. It is valid only
     * during this call: the sink copies it into the packet (as {@link TcpRepr#emit} does) and neither keeps, retains
     * nor releases it, nor moves its indexes.
     */
    void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload);

    /**
     * {@link #send(Ipv4Address, Ipv4Address, TcpRepr, ByteBuf)} a segment that may carry more than one MSS of data
     * (only when {@link TcpConfig#offloadSegmentLimit()} allows it): the network device is to cut it into segments of
     * {@code segmentSize} octets of data each, with the same header (TSO). {@code payload} is borrowed as there.
     *
     * @param segmentSize the data per segment on the wire (the MSS less the options), or 0 when the segment is to go
     *     as it is
     */
    default void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload, int segmentSize) {
        send(source, destination, header, payload);
    }
}
