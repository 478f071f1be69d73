package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * A network device with every offload, as a tap with {@code IFF_VNET_HDR} has them: each frame the stack writes
 * gets a {@link VirtioNetHeader} in front, which the test reads back with the frame; frames to the stack are fed
 * by the test ({@link #frame}) straight into {@link DirectStack#receive}. Nothing is cut or summed here: the test
 * checks what the stack asked the device to do.
 */
final class OffloadLink implements Network {

    private final MacAddress mac;
    private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();

    OffloadLink(MacAddress mac) {
        this.mac = mac;
    }

    /** A frame as the device hands it to the stack: {@code frame} behind a header with {@code flags}; the caller releases it. */
    static ByteBuf frame(int flags, byte[] frame) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(VirtioNetHeader.LENGTH + frame.length);
        buf.writeByte(flags).writeZero(VirtioNetHeader.LENGTH - 1).writeBytes(frame);
        return buf.readerIndex(VirtioNetHeader.LENGTH);
    }

    /** A frame with a partial checksum: {@code csum_start} and {@code csum_offset} set as a kernel sets them. */
    static ByteBuf partialFrame(byte[] frame, int checksumStart, int checksumOffset) {
        ByteBuf buf = frame(VirtioNetHeader.F_NEEDS_CSUM, frame);
        VirtioNetHeader.requestChecksum(buf, checksumStart, checksumOffset);
        return buf;
    }

    /** The next frame the stack wrote, header in front; fails after {@code timeout}. */
    byte[] next(Duration timeout) throws InterruptedException {
        return next(timeout, true);
    }

    /** The next frame the stack wrote, or {@code null} after {@code timeout} unless {@code required}. */
    byte[] next(Duration timeout, boolean required) throws InterruptedException {
        byte[] frame = sent.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (frame == null && required) throw new AssertionError("no frame sent within " + timeout);
        return frame;
    }

    @Override
    public void connect() {}

    @Override
    public void disconnect() {}

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public Offloads enableOffloads(Offloads wanted) {
        return wanted;
    }

    /** Never delivers anything: the test feeds frames through {@link DirectStack#receive}. */
    @Override
    public void listen(Consumer<ByteBuf> handler) {}

    /** The buffer is ours, released here; its header and frame are copied for {@link #next}. */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) {
        if (size > Offloads.MAX_FRAME_SIZE) throw new IllegalArgumentException("frame of " + size + " bytes");
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(VirtioNetHeader.LENGTH + size);
        try {
            buf.writeZero(VirtioNetHeader.LENGTH).readerIndex(VirtioNetHeader.LENGTH);
            filler.accept(buf);
            sent.add(ByteBufUtil.getBytes(buf, 0, buf.writerIndex()));
        } finally {
            buf.release();
        }
    }

    @Override
    public NetworkStats stats() {
        return new NetworkStats(0, 0, 0, 0, 0, 0);
    }
}
