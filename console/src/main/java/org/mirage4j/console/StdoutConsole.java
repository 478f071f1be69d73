package org.mirage4j.console;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.mirage4j.api.Console;

/**
 * The console of the unix target: the process's standard output and standard input.
 *
 * <p>Any thread may log and write; one lock makes each {@link #log} line and each {@link #write} reach the
 * output whole and in one piece. Text is written as UTF-8. Reading blocks the calling thread until input
 * arrives.
 */
@Singleton
final class StdoutConsole implements Console {

    private static final int READ_CHUNK = 4096;

    private final OutputStream out;
    private final InputStream in;
    private final Object writeLock = new Object();
    private volatile boolean disconnected;

    /** Standard output and standard input as the JVM has them when the console is made. */
    @Inject
    StdoutConsole() {
        this(System.out, System.in);
    }

    /** A console on other streams, for tests. */
    StdoutConsole(OutputStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    /**
     * Writes {@code line} and a line break in one write, never interleaved with another line or buffer.
     *
     * @throws UncheckedIOException if the output stream fails (standard output itself never throws: the JVM
     *     drops what it cannot write)
     */
    @Override
    public void log(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Writes the readable bytes of {@code data}, never interleaved with a line or another buffer. Takes
     * ownership of {@code data}: it is released here, also when the write fails.
     */
    @Override
    public void write(ByteBuf data) throws IOException {
        try {
            synchronized (writeLock) {
                data.getBytes(data.readerIndex(), out, data.readableBytes());
                out.flush();
            }
        } finally {
            data.release();
        }
    }

    /**
     * The next bytes of standard input, as soon as some are available (a line, when standard input is a
     * terminal), or {@code null} at the end of input or once the console is disconnected. The caller owns the
     * buffer and must release it.
     */
    @Override
    public ByteBuf read() throws IOException {
        if (disconnected) {
            return null;
        }
        ByteBuf chunk = ByteBufAllocator.DEFAULT.heapBuffer(READ_CHUNK);
        try {
            if (chunk.writeBytes(in, READ_CHUNK) < 0) {
                chunk.release();
                return null;
            }
            return chunk;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
    }

    /**
     * Flushes the output; later reads return {@code null}. Standard output and input stay open, as other code
     * of the process may still use them. A read already blocked on a terminal or pipe returns at the next input
     * or at the end of input: the JDK cannot interrupt it (virtual threads do not keep the JVM alive, so it
     * cannot delay the end of the process).
     */
    @Override
    public void disconnect() {
        disconnected = true;
        synchronized (writeLock) {
            try {
                out.flush();
            } catch (IOException e) {
                // Nothing left to do with output that cannot be written.
            }
        }
    }
}
