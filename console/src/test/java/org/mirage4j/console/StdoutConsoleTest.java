package org.mirage4j.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.TrackedHeapAllocator;

class StdoutConsoleTest {

    private static final InputStream NO_INPUT = InputStream.nullInputStream();

    @Test
    void logWritesTheLineAndALineFeedAsUtf8() {
        var out = new ByteArrayOutputStream();
        var console = new StdoutConsole(out, NO_INPUT);

        console.log("ready: ünïcode");
        console.log("");

        assertThat(out.toString(UTF_8)).isEqualTo("ready: ünïcode\n\n");
    }

    @Test
    void linesAndBuffersFromManyThreadsStayWhole() throws Exception {
        // A stream that lets other threads in between its bytes: only the console's own lock keeps lines whole.
        var out = new ByteByByteStream();
        var console = new StdoutConsole(out, NO_INPUT);
        int writers = 16;
        int linesEach = 100;

        List<Future<?>> done = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < linesEach; i++) {
                        String line = "writer " + writer + " line " + i + " " + "x".repeat(i % 40);
                        if (i % 2 == 0) {
                            console.log(line);
                        } else {
                            ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer();
                            data.writeCharSequence(line + "\n", UTF_8);
                            console.write(data);
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }

        List<String> expected = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < linesEach; i++) {
                expected.add("writer " + w + " line " + i + " " + "x".repeat(i % 40));
            }
        }
        assertThat(out.text()).endsWith("\n");
        assertThat(out.text().lines().toList()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void writeCopiesTheReadableBytesAndReleasesTheBuffer() throws IOException {
        var out = new ByteArrayOutputStream();
        var console = new StdoutConsole(out, NO_INPUT);
        ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer();
        data.writeBytes("skip-payload".getBytes(UTF_8));
        data.skipBytes(5);

        console.write(data);

        assertThat(out.toString(UTF_8)).isEqualTo("payload");
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void writeReleasesTheBufferAlsoWhenTheOutputFails() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        var console = new StdoutConsole(broken, NO_INPUT);
        ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer();
        data.writeBytes(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> console.write(data)).isInstanceOf(IOException.class).hasMessage("broken pipe");
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void readReturnsTheInputThenNullAtTheEnd() throws IOException {
        var console = new StdoutConsole(new ByteArrayOutputStream(), new ByteArrayInputStream("hello\n".getBytes(UTF_8)));

        ByteBuf first = console.read();
        try {
            assertThat(first.toString(UTF_8)).isEqualTo("hello\n");
        } finally {
            first.release();
        }
        assertThat(console.read()).isNull();
    }

    @Test
    void readReturnsInputLongerThanOneChunkInPieces() throws IOException {
        byte[] input = new byte[10_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }
        var console = new StdoutConsole(new ByteArrayOutputStream(), new ByteArrayInputStream(input));

        var received = new ByteArrayOutputStream();
        for (ByteBuf chunk = console.read(); chunk != null; chunk = console.read()) {
            try {
                chunk.readBytes(received, chunk.readableBytes());
            } finally {
                chunk.release();
            }
        }
        assertThat(received.toByteArray()).isEqualTo(input);
    }

    @Test
    void readAfterDisconnectReturnsNullAndDisconnectFlushes() throws IOException {
        var flushed = new ByteArrayOutputStream();
        var buffered = new BufferedOutputStream(flushed);
        var console = new StdoutConsole(buffered, new ByteArrayInputStream("unread".getBytes(UTF_8)));

        buffered.write("pending".getBytes(UTF_8));
        console.disconnect();

        assertThat(flushed.toString(UTF_8)).isEqualTo("pending");
        assertThat(console.read()).isNull();
    }

    /** Writes each byte on its own and yields in between, so unsynchronised writers interleave. */
    private static final class ByteByByteStream extends OutputStream {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(int b) {
            text.append((char) b);
            Thread.yield();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = 0; i < length; i++) {
                write(bytes[offset + i]);
            }
        }

        String text() {
            return text.toString();
        }
    }
}
