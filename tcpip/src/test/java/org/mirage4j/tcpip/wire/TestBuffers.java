package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.HexFormat;
import org.mirage4j.testing.TrackedHeapAllocator;

/** Buffers for the wire tests, from the leak-tracked allocator: every buffer returned is the caller's to release. */
final class TestBuffers {

    private TestBuffers() {}

    /** A buffer whose readable bytes are {@code hex}; the caller releases it. */
    static ByteBuf fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** A buffer whose readable bytes are {@code bytes}; the caller releases it. */
    static ByteBuf of(byte[] bytes) {
        return TrackedHeapAllocator.INSTANCE.heapBuffer(bytes.length).writeBytes(bytes);
    }

    /** An empty buffer to emit into; the caller releases it. */
    static ByteBuf empty() {
        return TrackedHeapAllocator.INSTANCE.heapBuffer();
    }

    /** The readable bytes of {@code buf} in hexadecimal; the caller keeps ownership of {@code buf}. */
    static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    /** The octets of {@code hex}. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
