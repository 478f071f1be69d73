package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.api.net.Offloads;

/**
 * A device used by someone who does not own its lifecycle: {@link #connect()} and {@link #disconnect()} do nothing,
 * everything else goes to the device. {@link Links#decorate} puts it under the decorators, whose own
 * {@code connect()} and {@code disconnect()} reach down to the device they wrap, so that they start and finish
 * without connecting the device a second time (the runtime connects the network before the stack and disconnects
 * it after).
 *
 * @param device the borrowed device
 */
record BorrowedNetwork(Network device) implements Network {

    /** Does nothing: the device's owner connects it. */
    @Override
    public void connect() {}

    /** Does nothing: the device's owner disconnects it, which also ends {@link #listen}. */
    @Override
    public void disconnect() {}

    @Override
    public MacAddress mac() {
        return device.mac();
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    /** The device's {@code listen}: the handler owns each frame. */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        device.listen(handler);
    }

    /** The device's {@code listen} with its bursts: the handler owns each frame. */
    @Override
    public void listen(Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
        device.listen(handler, burstEnd);
    }

    /** The device's {@code write}: the buffer is the device's, which releases it. */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        device.write(size, filler);
    }

    /** The device's offloads: frames pass through unchanged, the header in front of them included. */
    @Override
    public Offloads enableOffloads(Offloads wanted) throws IOException {
        return device.enableOffloads(wanted);
    }

    @Override
    public NetworkStats stats() {
        return device.stats();
    }
}
