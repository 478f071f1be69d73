package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.mirage4j.api.DeviceException;

/**
 * Writes frames to a pcap file ({@link PcapFormat}) without making the threads that see them wait for the disk.
 *
 * <p>{@link #capture} copies the frame and its time into a queue and returns; a platform thread, {@code pcap-writer},
 * writes the queue to the file through a 64 KiB buffer, flushing whenever the queue runs empty, so the file is
 * current within a burst. Why a queue rather than writing on the caller's thread: the callers are the receive loop
 * and the stack's senders, and a write that lands on a full page cache, a slow disk or a network file system can
 * block for milliseconds, during which the tap's own queue would overflow and real traffic would be lost.
 *
 * <p>Memory is bounded by bytes: frames whose copies would take the queue beyond its budget are left out of the
 * capture and counted in {@link #dropped()}; the traffic itself is never touched. After a write error the capture
 * stops (logged once at warning) and later frames count as dropped.
 *
 * <p>Threads: {@link #capture} may be called from any number of threads at once and never blocks; {@link #close()}
 * from one.
 */
final class PcapWriter {

    /** The default budget of the queue: 8 MiB of frame copies, about 5 500 full-size Ethernet frames. */
    static final long DEFAULT_QUEUE_BYTES = 8L << 20;
    /** How long {@link #close()} waits for the queue to reach the file. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(PcapNetwork.LOGGER_NAME);
    private static final int BUFFER_SIZE = 64 * 1024;
    /** What a queued capture costs beyond its bytes: object headers, the record header, the queue node. */
    private static final int CAPTURE_OVERHEAD = 64;

    /** One frame as seen: its time, its length on the link, and its bytes (at most the snaplen). */
    private record Capture(Instant time, int originalLength, byte[] bytes) {}

    /** Queued by {@link #close()} after the last capture. */
    private static final Capture END = new Capture(Instant.EPOCH, 0, new byte[0]);

    private final OutputStream file;
    private final OutputStream out;
    private final String name;
    private final InstantSource clock;
    private final long maxQueuedBytes;
    private final BlockingQueue<Capture> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean failed;

    /**
     * Writes the global header to {@code out} and starts the writer thread.
     *
     * @param out where the file goes; this writer buffers, flushes and closes it
     * @param name the file's name, for the log
     * @param clock the time stamped on each frame
     * @param maxQueuedBytes how many bytes of frame copies may wait for the writer
     * @throws IOException if the header cannot be written
     */
    PcapWriter(OutputStream out, String name, InstantSource clock, long maxQueuedBytes) throws IOException {
        this.file = out;
        this.out = new BufferedOutputStream(out, BUFFER_SIZE);
        this.name = name;
        this.clock = clock;
        this.maxQueuedBytes = maxQueuedBytes;
        this.out.write(PcapFormat.globalHeader());
        this.out.flush(); // a capture of no frame is still a valid file
        this.writer = Thread.ofPlatform().daemon().name("pcap-writer").start(this::writeQueue);
    }

    /**
     * Creates (or empties) the file at {@code path} and starts writing to it.
     *
     * @throws DeviceException with one sentence naming the path and what to do, if it cannot be created
     */
    static PcapWriter open(Path path, InstantSource clock, long maxQueuedBytes) throws DeviceException {
        if (Files.isDirectory(path)) {
            throw new DeviceException("Cannot write a pcap capture to " + path + " because it is a directory;"
                    + " give --pcap a file name in it, such as " + path.resolve("stack.pcap") + ".");
        }
        OutputStream file = null;
        try {
            file = Files.newOutputStream(path);
            return new PcapWriter(file, path.toString(), clock, maxQueuedBytes);
        } catch (NoSuchFileException e) {
            throw new DeviceException("Cannot create pcap file " + path + " because its directory does not exist;"
                    + " create the directory or give --pcap a path in an existing one.", e);
        } catch (AccessDeniedException e) {
            throw new DeviceException("Cannot create pcap file " + path + " because permission is denied;"
                    + " give --pcap a path in a directory you may write to.", e);
        } catch (IOException e) {
            closeQuietly(file);
            throw new DeviceException("Cannot create pcap file " + path + " (" + e.getMessage() + ");"
                    + " give --pcap a path on a writable file system with free space.", e);
        }
    }

    /**
     * Queues a copy of the readable bytes of {@code frame} (at most {@link PcapFormat#SNAPLEN}) with the current
     * time, or counts it as dropped when the queue is over budget, the writer failed, or this writer is closed.
     * The caller keeps ownership of {@code frame}; its indexes do not move. Never blocks.
     */
    void capture(ByteBuf frame) {
        if (closed || failed) {
            dropped.increment();
            return;
        }
        Instant time = clock.instant();
        int originalLength = frame.readableBytes();
        int kept = Math.min(originalLength, PcapFormat.SNAPLEN);
        long cost = kept + CAPTURE_OVERHEAD;
        if (queuedBytes.addAndGet(cost) > maxQueuedBytes) {
            queuedBytes.addAndGet(-cost);
            dropped.increment();
            return;
        }
        byte[] bytes = new byte[kept];
        frame.getBytes(frame.readerIndex(), bytes);
        Capture capture = new Capture(time, originalLength, bytes);
        queue.add(capture);
        // Raced with close(): if the writer has finished, this capture will never be written. Whichever of this
        // line and close()'s sweep takes it out of the queue counts it.
        if (closed && queue.remove(capture)) dropped.increment();
    }

    /** Frames written to the file so far. */
    long written() {
        return written.sum();
    }

    /** Frames left out of the capture: over the queue's budget, after a write error, or after close. */
    long dropped() {
        return dropped.sum();
    }

    /**
     * Writes what is queued, flushes and closes the file; waits at most {@link #CLOSE_WAIT} for the writer, after
     * which the writer finishes on its own. Later captures count as dropped. Idempotent; never throws.
     */
    void close() {
        if (closed) return;
        closed = true;
        queue.add(END);
        try {
            writer.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.log(Level.WARNING, () -> "pcap: " + name + " is still being written " + CLOSE_WAIT.toSeconds()
                    + " s after disconnect; the writer finishes it in the background");
            return;
        }
        // Captures that raced with close() and landed behind END.
        for (Capture c; (c = queue.poll()) != null; ) {
            if (c != END) dropped.increment();
        }
    }

    /** The writer thread's loop. */
    private void writeQueue() {
        // Frames count as written once flushed to the file; if writing fails, those since the last flush are lost.
        long unflushed = 0;
        try {
            while (true) {
                Capture c = queue.take();
                if (c == END) break;
                queuedBytes.addAndGet(-(c.bytes().length + CAPTURE_OVERHEAD));
                if (failed) {
                    dropped.increment();
                    continue;
                }
                unflushed++;
                try {
                    out.write(PcapFormat.recordHeader(c.time(), c.bytes().length, c.originalLength()));
                    out.write(c.bytes());
                    if (queue.isEmpty()) {
                        out.flush();
                        written.add(unflushed);
                        unflushed = 0;
                    }
                } catch (IOException e) {
                    unflushed = fail(e, unflushed);
                }
            }
            if (!failed && unflushed > 0) {
                try {
                    out.flush();
                    written.add(unflushed);
                } catch (IOException e) {
                    fail(e, unflushed);
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread; if someone does, stop writing and close the file.
            dropped.add(unflushed);
        } finally {
            // After a failure the buffer holds bytes that would only fail again: close the file without them.
            closeQuietly(failed ? file : out);
        }
    }

    /** Stops the capture after a write error; the frames not yet flushed count as dropped. Returns 0. */
    private long fail(IOException e, long unflushed) {
        failed = true;
        dropped.add(unflushed);
        LOG.log(Level.WARNING, () -> "pcap: writing " + name + " failed (" + e.getMessage()
                + "); the capture stops here, the traffic goes on", e);
        return 0;
    }

    private static void closeQuietly(OutputStream stream) {
        if (stream == null) return;
        try {
            stream.close(); // flushes the buffer first
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "pcap: closing the capture file failed (" + e.getMessage() + ")", e);
        }
    }
}
