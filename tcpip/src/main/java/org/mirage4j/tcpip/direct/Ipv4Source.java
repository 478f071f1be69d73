package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.function.Consumer;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;

/**
 * Where the {@link DirectStack}'s IPv4 address, prefix and gateway come from, chosen at build time: the runtime
 * keys {@code ipv4} and {@code ipv4-gateway} ({@link StaticIpv4Module}), or a DHCP client ({@link DhcpIpv4Module}).
 *
 * <p>The stack calls {@link #start} from its {@code connect()}, hands the source the UDP datagrams to its
 * {@link #port()} and the time; the source configures the stack through the {@link Host} it was given.
 *
 * <p>Threads: {@link #start} on the thread that connects the stack; {@link #input} on the stack's receive loop;
 * {@link #poll} on its timer thread; {@link #stop} from any thread.
 */
public interface Ipv4Source {

    /**
     * A fixed address with its link's prefix and no gateway, as {@code --ipv4} alone gives: for stacks made
     * by hand (tests, benchmarks) rather than wired from keys. A wrong address fails {@link #start}.
     */
    static Ipv4Source fixed(Ipv4Prefix address) {
        return new StaticIpv4Source(address, "");
    }

    /**
     * Starts configuring {@code host}, and returns once it has an address.
     *
     * @throws org.mirage4j.api.DeviceException when the stack cannot get an address, saying what to do: a wrong key,
     *     or no DHCP server answering in time
     * @throws java.io.InterruptedIOException when the calling thread is interrupted while waiting
     */
    void start(Host host) throws IOException;

    /** The UDP port whose datagrams the stack hands to {@link #input}, also before it has an address; 0 for none. */
    int port();

    /**
     * Handles one datagram received on {@link #port()}. Takes ownership of its payload; never throws on malformed
     * input.
     *
     * @param now the monotonic time of arrival, in nanoseconds
     */
    void input(Datagram datagram, long now);

    /**
     * Advances time to {@code now}.
     *
     * @return when to call again at the latest, in monotonic nanoseconds; {@link Long#MAX_VALUE} for never
     */
    long poll(long now);

    /** Stops for good: makes a waiting {@link #start} fail and ignores whatever comes after. Idempotent. */
    void stop();

    /** What a source may do to the stack it configures. Thread-safe. */
    interface Host {

        /** The stack's MAC address. */
        MacAddress mac();

        /** The stack's monotonic clock, in nanoseconds. */
        long now();

        /**
         * Gives the stack {@code address} (with its link's prefix) and {@code gateway}, announcing a new address with
         * a gratuitous ARP; configuring what is already configured changes nothing.
         *
         * @param gateway a router inside the prefix, or {@code null} for none
         * @throws IllegalArgumentException when the gateway is not another host of the prefix
         */
        void configure(Ipv4Prefix address, Ipv4Address gateway);

        /**
         * Takes the address away: until the next {@link #configure}, the stack sends and receives only the source's
         * datagrams.
         */
        void deconfigure();

        /**
         * Sends a UDP datagram from our {@code sourcePort}, from 0.0.0.0 while there is no address (RFC 2131
         * section 4.1); never blocks. {@code filler} writes at most {@code size} octets of data at the writer
         * index of a buffer it must neither release nor keep.
         *
         * @throws java.net.NoRouteToHostException when the destination is unicast and cannot be reached
         */
        void send(int sourcePort, Ipv4Address destination, int destinationPort, int size, Consumer<ByteBuf> filler)
                throws IOException;
    }
}
