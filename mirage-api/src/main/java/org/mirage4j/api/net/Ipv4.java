package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.function.Consumer;
import org.mirage4j.api.Device;

/** IPv4 (RFC 791): routing, fragmentation on send and reassembly on receive. */
public interface Ipv4 extends Device {

    /** A received datagram's addresses and payload; the handler owns {@code payload}. */
    record Packet(Ipv4Address source, Ipv4Address destination, ByteBuf payload) {}

    /** Handlers by protocol; each owns the payload it is given. */
    record Handlers(Consumer<Packet> icmp, Consumer<Packet> tcp, Consumer<Packet> udp) {}

    /**
     * Handles one received packet (Ethernet header removed): checks it, reassembles fragments and
     * passes complete payloads to the handler for their protocol. Takes ownership of
     * {@code packet}; never throws on malformed input.
     */
    void input(ByteBuf packet, Handlers handlers);

    /**
     * Sends a datagram of {@code protocol} to {@code destination}, fragmenting it when it is
     * larger than the path MTU. {@code filler} writes at most {@code size} payload bytes at the
     * writer index of a buffer the device owns; it must neither release nor keep it.
     */
    void write(Ipv4Address destination, IpProtocol protocol, int size, Consumer<ByteBuf> filler)
            throws IOException, InterruptedException;

    /** The source address this interface uses towards {@code destination}. */
    Ipv4Address source(Ipv4Address destination);

    /** The interface's address and prefix. */
    Ipv4Prefix prefix();

    /** The largest payload that fits one unfragmented datagram towards {@code destination}. */
    int mtu(Ipv4Address destination);
}
