package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import org.mirage4j.api.Device;

/** ICMPv4 (RFC 792): answers echo requests and sends errors. */
public interface Icmp extends Device {

    /** Handles one received ICMP message. Takes ownership of {@code message}; never throws on malformed input. */
    void input(Ipv4Address source, Ipv4Address destination, ByteBuf message);

    /** Sends an ICMP message (header included, checksum filled in by the device). Takes ownership of {@code message}. */
    void write(Ipv4Address destination, ByteBuf message) throws IOException, InterruptedException;
}
