package org.mirage4j.benchmarks;

import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.tcpip.direct.Ipv4Source;

/** A static address for a benchmark's stack: configures {@code prefix} on start, and listens on no UDP port. */
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
    public void input(Datagram datagram, long now) {}

    @Override
    public long poll(long now) {
        return Long.MAX_VALUE;
    }

    @Override
    public void stop() {}
}
