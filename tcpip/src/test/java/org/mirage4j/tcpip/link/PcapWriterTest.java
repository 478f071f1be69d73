package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;

class PcapWriterTest {

    private static final Instant START = Instant.parse("2024-06-01T12:00:00Z");

    private final Gen gen = new Gen(0x77);

    /** A file that holds every write while its gate is shut, and says when a write first waits there. */
    private static final class GatedStream extends OutputStream {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        volatile boolean shut;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (shut) {
                waiting.countDown();
                try {
                    open.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            synchronized (sink) {
                sink.write(b, off, len);
            }
        }
    }

    /** A file that accepts the header and then fails, as a full disk does. */
    private static final class FullDisk extends OutputStream {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (sink.size() + len > PcapFormat.GLOBAL_HEADER_LENGTH) throw new IOException("No space left on device");
            sink.write(b, off, len);
        }
    }

    private void capture(PcapWriter writer, byte[] bytes) {
        ByteBuf frame = FrameBytes.tracked(bytes);
        try {
            writer.capture(frame);
            assertThat(frame.readerIndex()).isZero();
            assertThat(frame.readableBytes()).isEqualTo(bytes.length);
        } finally {
            frame.release();
        }
    }

    @Test
    void framesBeyondTheBudgetAreLeftOutOfTheCaptureAndCounted() throws Exception {
        GatedStream file = new GatedStream();
        long perFrame = 100 + 64; // the bytes of a frame and the overhead a capture costs
        PcapWriter writer = new PcapWriter(file, "gated.pcap", new SteppingClock(START, 1000), 3 * perFrame);
        file.shut = true;
        capture(writer, FrameBytes.numbered(0, 100, gen));
        assertThat(file.waiting.await(10, TimeUnit.SECONDS)).as("the writer waits at the gate").isTrue();
        // The writer holds frame 0; three more fit the budget, six do not.
        for (int i = 1; i < 10; i++) {
            capture(writer, FrameBytes.numbered(i, 100, gen));
        }
        assertThat(writer.dropped()).isEqualTo(6);
        file.open.countDown();
        writer.close();
        assertThat(writer.written()).isEqualTo(4);
        assertThat(writer.dropped()).isEqualTo(6);
        PcapFile capture = PcapFile.parse(file.sink.toByteArray());
        assertThat(capture.records()).extracting(r -> FrameBytes.number(r.bytes())).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aFrameLongerThanTheSnaplenKeepsItsLength() throws Exception {
        GatedStream file = new GatedStream();
        PcapWriter writer = new PcapWriter(file, "long.pcap", new SteppingClock(START, 1), PcapWriter.DEFAULT_QUEUE_BYTES);
        byte[] huge = gen.bytes(70_000);
        capture(writer, huge);
        writer.close();
        PcapFile.Record r = PcapFile.parse(file.sink.toByteArray()).records().getFirst();
        assertThat(r.includedLength()).isEqualTo(65_535);
        assertThat(r.originalLength()).isEqualTo(70_000);
        assertThat(r.bytes()).isEqualTo(Arrays.copyOf(huge, 65_535));
    }

    @Test
    void aWriteErrorStopsTheCaptureButNotTheCaller() throws Exception {
        FullDisk file = new FullDisk();
        PcapWriter writer = new PcapWriter(file, "full.pcap", new SteppingClock(START, 1), PcapWriter.DEFAULT_QUEUE_BYTES);
        capture(writer, FrameBytes.numbered(0, 80, gen));
        Listener.await(() -> writer.dropped() == 1, Duration.ofSeconds(10), "the failed write");
        capture(writer, FrameBytes.numbered(1, 80, gen));
        writer.close(); // logs, never throws
        assertThat(writer.written()).isZero();
        assertThat(writer.dropped()).isEqualTo(2);
        assertThat(PcapFile.parse(file.sink.toByteArray()).records()).isEmpty();
    }

    @Test
    void capturesAfterCloseAreCounted() throws Exception {
        PcapWriter writer = new PcapWriter(new GatedStream(), "closed.pcap", new SteppingClock(START, 1), 1 << 20);
        writer.close();
        capture(writer, new byte[60]);
        assertThat(writer.dropped()).isOne();
        writer.close(); // a second close does nothing
    }
}
