package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.function.Consumer;
import org.mirage4j.api.Device;

/** Ethernet II framing over a {@link Network}: demultiplexes received frames by EtherType. */
public interface Ethernet extends Device {

    /** The hardware address frames are sent from. */
    MacAddress mac();

    /** The largest payload of a frame (the network's MTU). */
    int mtu();

    /**
     * Receives handlers for each EtherType; each is called with the frame's payload (header
     * removed) and owns it. Frames of other types, or not addressed to this interface, are
     * counted and dropped.
     */
    record Handlers(Consumer<ByteBuf> arp, Consumer<ByteBuf> ipv4, Consumer<ByteBuf> ipv6) {}

    /**
     * Handles one received frame: checks it, strips the header and passes the payload to the
     * handler for its type. Takes ownership of {@code frame}; never throws on malformed input.
     */
    void input(ByteBuf frame, Handlers handlers);

    /**
     * Sends a frame of {@code type} to {@code destination} with a payload of at most {@code size}
     * bytes that {@code filler} writes at the writer index. The buffer belongs to the device; the
     * filler must neither release nor keep it.
     */
    void write(MacAddress destination, EtherType type, int size, Consumer<ByteBuf> filler) throws IOException;
}
