package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;

/**
 * A {@link Network} that wraps another and writes every frame it receives and sends to a pcap file, which Wireshark,
 * tshark and tcpdump open: a capture of the traffic as the layer above sees it.
 *
 * <p>The file is created (or emptied) by {@link #connect()} and complete after {@link #disconnect()}; while the device
 * runs it is flushed after every burst, so it can be read along the way. One record per frame, stamped with the time
 * of the injectable clock when the frame passed: received frames before the listener sees them, sent frames once the
 * filler has written them, before the wrapped device sends them. Classic libpcap format with nanosecond timestamps,
 * Ethernet link type, snaplen 65535 ({@link PcapFormat}).
 *
 * <p>Capturing never slows or drops traffic: each frame is copied into a bounded queue (8 MiB) that a writer thread
 * empties ({@link PcapWriter} says why). Frames that find the queue full are left out of the capture and counted in
 * {@link #captureDropped()}; the count is logged at disconnect to the {@link System.Logger} {@value #LOGGER_NAME}.
 *
 * <p>Buffers: neither direction retains or releases a frame; the listener still owns every received frame, and the
 * wrapped device still allocates and releases every sent one. Threads: those of the wrapped device, plus the writer.
 */
public final class PcapNetwork implements Network {

    /** The name of the {@link System.Logger} of the capture. */
    public static final String LOGGER_NAME = "tcpip.pcap";

    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    private final Network inner;
    private final Path file;
    private final InstantSource clock;
    private final long maxQueuedBytes;
    private final Object lifecycle = new Object();
    /** The writer of the current (or last) connection; {@code null} before the first connect. */
    private volatile PcapWriter writer;
    private boolean connected;

    /**
     * Wraps {@code inner}, stamping frames with the system's UTC clock; does no I/O.
     *
     * @param inner the device to wrap; this device connects and disconnects it
     * @param file the capture file to create at connect
     */
    public PcapNetwork(Network inner, Path file) {
        this(inner, file, Clock.systemUTC());
    }

    /**
     * Wraps {@code inner}; does no I/O.
     *
     * @param inner the device to wrap; this device connects and disconnects it
     * @param file the capture file to create at connect
     * @param clock the time stamped on each frame (a {@link Clock}, or {@code wallClock::now}); called from the
     *     threads that receive and send, so it must be thread-safe
     */
    public PcapNetwork(Network inner, Path file, InstantSource clock) {
        this(inner, file, clock, PcapWriter.DEFAULT_QUEUE_BYTES);
    }

    /** For tests: a queue budget small enough to fill. */
    PcapNetwork(Network inner, Path file, InstantSource clock, long maxQueuedBytes) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** The capture file. */
    public Path file() {
        return file;
    }

    /** The wrapped device. */
    public Network inner() {
        return inner;
    }

    /**
     * Creates the capture file, then connects the wrapped device (if that fails, the file is closed, with no frame).
     *
     * @throws org.mirage4j.api.DeviceException with one sentence naming the path and what to do, if the file cannot
     *     be created
     * @throws IOException what the wrapped device's {@code connect} threw
     * @throws IllegalStateException if already connected
     */
    @Override
    public void connect() throws IOException {
        synchronized (lifecycle) {
            if (connected) throw new IllegalStateException("The pcap capture to " + file + " is already connected.");
            PcapWriter w = PcapWriter.open(file, clock, maxQueuedBytes);
            try {
                inner.connect();
            } catch (IOException | RuntimeException e) {
                w.close();
                throw e;
            }
            writer = w;
            connected = true;
        }
        LOG.log(Level.INFO, () -> "pcap: writing received and sent frames to " + file);
    }

    /**
     * Disconnects the wrapped device, then writes what is still queued and closes the file, and logs how many frames
     * it holds. Never throws.
     */
    @Override
    public void disconnect() {
        PcapWriter w;
        synchronized (lifecycle) {
            w = connected ? writer : null;
            connected = false;
        }
        inner.disconnect();
        if (w == null) return;
        w.close();
        LOG.log(Level.INFO, () -> "pcap: wrote " + w.written() + " frames to " + file
                + (w.dropped() == 0 ? "" : "; " + w.dropped() + " frames were left out of it, as writing could not keep up or failed"));
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    /**
     * Receives the wrapped device's frames, capturing each before {@code handler} gets it; the handler owns each frame,
     * as with the wrapped device.
     */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        inner.listen(frame -> {
            capture(frame);
            handler.accept(frame);
        });
    }

    /**
     * Sends through the wrapped device, capturing the frame once {@code filler} has written it. The buffer is the
     * wrapped device's, which releases it; the filler must neither release nor keep it.
     */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        Objects.requireNonNull(filler, "filler");
        inner.write(size, buffer -> {
            filler.accept(buffer);
            capture(buffer);
        });
    }

    @Override
    public NetworkStats stats() {
        return inner.stats();
    }

    /** Frames written to the capture file since connect. */
    public long captured() {
        PcapWriter w = writer;
        return w == null ? 0 : w.written();
    }

    /** Frames left out of the capture since connect, because the writer could not keep up or failed. */
    public long captureDropped() {
        PcapWriter w = writer;
        return w == null ? 0 : w.dropped();
    }

    /** Copies the frame into the capture queue; the caller keeps ownership of {@code frame}. */
    private void capture(ByteBuf frame) {
        PcapWriter w = writer;
        if (w != null) w.capture(frame);
    }
}
