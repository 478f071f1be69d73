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
     * {@link #listen(Consumer)}, also calling {@code burstEnd} on the receive loop after the last frame of each
     * burst: when no further frame is ready and the next read would wait. A stack uses it to wake its readers once
     * per burst rather than once per frame. The default calls it after every frame, which is always correct; a
     * device that reads frames in batches overrides it.
     */
    default void listen(Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
        listen(frame -> {
            try {
                handler.accept(frame);
            } finally {
                burstEnd.run();
            }
        });
    }

    /**
     * Sends one frame of at most {@code size} bytes, Ethernet header included. The device
     * allocates the buffer and calls {@code filler} with it on the calling thread; the filler
     * writes the frame at the writer index (the buffer's readable bytes are what is sent) and
     * must neither release nor keep the buffer.
     *
     * @throws IllegalArgumentException if {@code size} exceeds {@link #mtu()} plus the 14-byte header
     */
    void write(int size, Consumer<ByteBuf> filler) throws IOException;

    /**
     * Turns on the offloads of {@code wanted} that this device has, and returns those now on; a device without
     * offloads returns {@link Offloads#NONE}. Call it after {@link #connect()} and before the first {@code listen}
     * or {@code write}: from then on every frame carries a {@link VirtioNetHeader} in front when the result's
     * {@link Offloads#header()} is true, frames may be up to its {@code maxFrameSize}, and the {@code size} limit of
     * {@code write} grows to it. A decorator that copies or alters frames should keep the default, so that the
     * device under it moves plain frames.
     *
     * @throws IOException if the device fails while changing its settings
     */
    default Offloads enableOffloads(Offloads wanted) throws IOException {
        return Offloads.NONE;
    }

    /** Counters since connect. */
    NetworkStats stats();
}
