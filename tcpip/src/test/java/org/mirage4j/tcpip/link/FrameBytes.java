package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.TrackedHeapAllocator;

/** Frames for the decorator tests. */
final class FrameBytes {

    private FrameBytes() {}

    /** A leak-tracked buffer whose readable bytes are {@code bytes}; the caller releases it. */
    static ByteBuf tracked(byte[] bytes) {
        return TrackedHeapAllocator.INSTANCE.heapBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * A frame of {@code length} bytes (at least 18) that says which it is: an Ethernet header with the local
     * experimental EtherType 0x88b5, the frame's number in 4 bytes, then random bytes.
     */
    static byte[] numbered(int number, int length, Gen gen) {
        ByteBuffer frame = ByteBuffer.allocate(length);
        frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, (byte) 0x88, (byte) 0xb5});
        frame.putInt(number);
        frame.put(gen.bytes(length - frame.position()));
        return frame.array();
    }

    /** The number {@link #numbered} wrote into {@code frame}. */
    static int number(byte[] frame) {
        return ByteBuffer.wrap(frame, 14, 4).getInt();
    }

    /** How many bits differ between two arrays of the same length. */
    static int bitsDiffering(byte[] a, byte[] b) {
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return bits;
    }
}
