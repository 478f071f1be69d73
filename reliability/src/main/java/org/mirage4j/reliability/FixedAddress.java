package org.mirage4j.reliability;

import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.tcpip.direct.Ipv4Source;

/** A fixed address for a stack of a {@link StackPair}: configured on start, no gateway, no UDP port of its own. */
record FixedAddress(Ipv4Prefix prefix) implements Ipv4Source {

    @Override
    public void start(Host host) {
        host.configure(prefix, null);
    }

    @Override
    public int port() {
        return 0;
    }

    @Override
    public void input(Datagram datagram, long now) {
        datagram.payload().release(); // never called: port() is 0
    }

    @Override
    public long poll(long now) {
        return Long.MAX_VALUE;
    }

    @Override
    public void stop() {}
}
