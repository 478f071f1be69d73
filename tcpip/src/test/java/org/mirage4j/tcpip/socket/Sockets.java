package org.mirage4j.tcpip.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.FlowHandler;

/** Helpers shared by the socket stack's tests: free loopback ports, test data, buffers. */
final class Sockets {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Echoes every byte back until the peer closes its side; the stack then closes the flow. */
    static final FlowHandler ECHO = flow -> {
        for (ByteBuf data; (data = flow.read()) != null; ) flow.write(data);
    };

    private Sockets() {}

    /** A TCP port the host just gave out and took back, so nobody else holds it. */
    static int freeTcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** A UDP port the host just gave out and took back. */
    static int freeUdpPort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** A pooled (leak-tracked) buffer holding {@code bytes}; the caller owns it. */
    static ByteBuf pooled(byte[] bytes) {
        return PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes);
    }

    static ByteBuf pooled(String text) {
        return pooled(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The readable bytes of {@code buf}, which this releases. */
    static byte[] take(ByteBuf buf) {
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    static String text(ByteBuf buf) {
        return new String(take(buf), StandardCharsets.UTF_8);
    }

    /** Everything the peer sends until it closes its side, releasing each buffer read. */
    static byte[] readAll(Flow flow) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf data; (data = flow.read()) != null; ) all.writeBytes(take(data));
        return all.toByteArray();
    }

    /** Waits up to ten seconds for {@code condition}; false if it never held. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }

    /** Whether {@code message} is one sentence: a capital, one full stop at the end, no line break. */
    static boolean isOneSentence(String message) {
        return message != null && Character.isUpperCase(message.charAt(0)) && message.endsWith(".")
                && !message.contains(". ") && !message.contains("\n");
    }
}
