package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import org.mirage4j.api.Device;

/** The Address Resolution Protocol (RFC 826) for IPv4 over Ethernet. */
public interface Arp extends Device {

    /**
     * The hardware address of {@code address}, from the cache or by asking the link; blocks the
     * calling virtual thread while it asks.
     *
     * @throws java.net.NoRouteToHostException when nobody answers after the retries
     */
    MacAddress query(Ipv4Address address) throws IOException, InterruptedException;

    /** Handles one received ARP packet (Ethernet header removed). Takes ownership; never throws on malformed input. */
    void input(ByteBuf packet);

    /** The addresses this interface answers for. */
    List<Ipv4Address> addresses();

    /** Replaces the addresses this interface answers for, announcing each new one with a gratuitous ARP. */
    void setAddresses(List<Ipv4Address> addresses) throws IOException;
}
