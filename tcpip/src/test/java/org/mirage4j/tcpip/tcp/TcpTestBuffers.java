package org.mirage4j.tcpip.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Small buffers for the engine tests. */
final class TcpTestBuffers {

    private TcpTestBuffers() {}

    /**
     * {@code text} as an unpooled buffer. The engine copies what it takes and never releases what it is given, so
     * an untracked buffer is fine here: the garbage collector frees it.
     */
    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }
}
