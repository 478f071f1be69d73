package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.function.Consumer;
import org.mirage4j.api.Device;

/**
 * A network interface that sends and receives Ethernet frames: a tap device on unix, virtio-net
 * on kvm.
 */
public interface Network extends Device {

    /** The interface's hardware address. */
    MacAddress mac();

    /** The largest payload of a frame, Ethernet header excluded (1500 for a standard link). */
    int mtu();

    /**
     * Receives frames until the device is disconnected, calling {@code handler} once per frame
     * on the calling thread (the device's receive loop) in arrival order; returns when the device
     * is disconnected. The handler owns each frame and must release it; it must not block, since
     * no frame is read while it runs.
     */
    void listen(Consumer<ByteBuf> handler) throws IOException;

    /**
     * Sends one frame of at most {@code size} bytes, Ethernet header included. The device
     * allocates the buffer and calls {@code filler} with it on the calling thread; the filler
     * writes the frame at the writer index (the buffer's readable bytes are what is sent) and
     * must neither release nor keep the buffer.
     *
     * @throws IllegalArgumentException if {@code size} exceeds {@link #mtu()} plus the 14-byte header
     */
    void write(int size, Consumer<ByteBuf> filler) throws IOException;

    /** Counters since connect. */
    NetworkStats stats();
}
