package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;

/**
 * A device that fails as real ones do: its {@code connect} throws {@code connectFailure} (a busy tap), or its
 * {@code listen} throws {@code listenFailure} at once (a tap deleted under the stack); {@code null} for no failure.
 * Everything else goes to {@code inner}.
 */
record BrokenNetwork(Network inner, IOException connectFailure, IOException listenFailure) implements Network {

    static BrokenNetwork failingConnect(Network inner, IOException failure) {
        return new BrokenNetwork(inner, failure, null);
    }

    static BrokenNetwork failingListen(Network inner, IOException failure) {
        return new BrokenNetwork(inner, null, failure);
    }

    @Override
    public void connect() throws IOException {
        if (connectFailure != null) throw connectFailure;
        inner.connect();
    }

    @Override
    public void disconnect() {
        inner.disconnect();
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        if (listenFailure != null) throw listenFailure;
        inner.listen(handler);
    }

    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        inner.write(size, filler);
    }

    @Override
    public NetworkStats stats() {
        return inner.stats();
    }
}
