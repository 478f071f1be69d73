package org.mirage4j.net.virtio;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBuf;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.virtio.VirtioBus;
import org.mirage4j.virtio.VirtioTransport;

/**
 * A {@link Network} over a virtio-net device (VIRTIO 1.2 §5.1, or legacy), driven from Java
 * through a {@link VirtioBus}: the first network device of the bus no driver has claimed.
 *
 * <p>The MAC address is the device's (VIRTIO_NET_F_MAC), or a random locally administered one
 * when it has none; the MTU is the device's (VIRTIO_NET_F_MTU) or 1500. No offload is negotiated:
 * frames go out with a zero virtio_net_hdr and the stack computes every checksum.
 *
 * <p>Threads: {@link #listen} is the receive loop and runs on the thread that calls it; it waits
 * for the device's interrupt (or polls, on a transport without one) in short slices, so it
 * should be a platform thread. {@link #write} may be called from any thread, concurrently.
 * {@link #disconnect()} makes {@code listen} return within one slice.
 */
@Singleton
public final class VirtioNetwork implements Network {

    private static final System.Logger LOG = System.getLogger("net.virtio");
    /** The longest the receive loop waits before looking at its queues and the disconnect flag again. */
    private static final Duration SLICE = Duration.ofMillis(10);
    /** How long {@link #disconnect()} waits for calls in progress before leaving the cleanup to them. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final VirtioBus bus;
    private final Object lifecycle = new Object();
    private volatile NetSession session;
    /** The latest session, whose counters stay readable after disconnect. */
    private volatile NetSession last;
    private volatile Thread receiver;

    /** Creates the driver; does no I/O (see {@link #connect()}). */
    @Inject
    public VirtioNetwork(VirtioBus bus) {
        this.bus = bus;
    }

    /**
     * Claims the bus's first unclaimed network device, negotiates its features, sets up its queues
     * and fills the receive ring.
     *
     * @throws org.mirage4j.api.DeviceException when the bus has no network device, or the device
     *     refuses the driver; the message says what to do
     * @throws IllegalStateException if already connected
     */
    @Override
    public void connect() throws IOException {
        synchronized (lifecycle) {
            if (session != null) throw new IllegalStateException("The virtio-net device is already connected.");
            VirtioTransport transport = bus.claim(VirtioBus.NETWORK);
            NetSession opened = NetSession.open(transport, bus.memory());
            last = opened;
            session = opened;
        }
    }

    /**
     * Stops the receive loop, resets the device and frees its rings; receive buffers the stack
     * still holds stay valid until released. Idempotent; never throws.
     */
    @Override
    public void disconnect() {
        NetSession closing;
        synchronized (lifecycle) {
            closing = session;
            if (closing == null) return;
            session = null;
        }
        boolean fromReceiveLoop = Thread.currentThread() == receiver;
        boolean closed = closing.gate.close(fromReceiveLoop ? Duration.ZERO : CLOSE_WAIT, closing::release);
        if (closed) {
            LOG.log(INFO, "virtio-net device disconnected");
        } else if (!fromReceiveLoop) {
            LOG.log(WARNING, "The virtio-net device is still in use {0} s after disconnect; the last call using it will release it",
                    CLOSE_WAIT.toSeconds());
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public MacAddress mac() {
        return known().mac;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public int mtu() {
        return known().mtu;
    }

    /**
     * Receives frames until {@link #disconnect()}, calling {@code handler} on this thread once per
     * frame, in arrival order. Each frame is a direct buffer over the memory the device wrote it
     * into; the handler owns it and must release it, which gives the memory back to the receive
     * pool. A handler that throws has the exception logged; the loop goes on. Elements the device
     * got wrong (a bad length, an id it made up) are counted and dropped.
     *
     * <p>Returns at once if the device has been disconnected.
     *
     * @throws IOException when the device failed (it asked for a reset, or broke its rings); the
     *     message says so in one sentence
     * @throws IllegalStateException before {@link #connect()}, or if another thread is already listening
     */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        listen(handler, () -> {});
    }

    /** {@inheritDoc} A burst is what one drain of the receive queue delivers. */
    @Override
    public void listen(Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
        NetSession current = session;
        if (current == null) {
            known();
            return; // disconnected
        }
        if (!current.gate.enter()) return;
        try {
            synchronized (lifecycle) {
                if (receiver != null) throw new IllegalStateException("The virtio-net device is already being listened to by " + receiver + ".");
                receiver = Thread.currentThread();
            }
            try {
                receiveLoop(current, handler, burstEnd);
            } finally {
                receiver = null;
            }
        } finally {
            current.gate.exit();
        }
    }

    private static void receiveLoop(NetSession s, Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
        VirtioTransport transport = s.device.transport();
        Receiver rx = s.receiver;
        while (!s.gate.isClosing()) {
            rx.drain(handler);
            try {
                burstEnd.run();
            } catch (RuntimeException e) {
                LOG.log(WARNING, "The burst-end callback threw; the receive loop goes on", e);
            }
            rx.refill();
            s.transmitter.reclaim();
            checkRings(s);
            if (rx.queue().enableInterrupts()) continue; // frames arrived while interrupts were off
            try {
                transport.awaitInterrupt(SLICE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("The virtio-net receive loop was interrupted.", e);
            } catch (IOException e) {
                if (s.gate.isClosing()) return;
                throw e;
            }
            // Once per wait, not per batch: the status is a device register, and a device asking for a
            // reset raises a configuration interrupt that ends the wait.
            String failed = s.device.checkHealth();
            if (failed != null) throw new IOException(failed);
        }
    }

    private static void checkRings(NetSession s) throws IOException {
        String broken = s.receiver.queue().brokenReason();
        if (broken == null) broken = s.transmitter.queue().brokenReason();
        if (broken != null) {
            s.device.fail(broken);
            throw new IOException(s.device.deviceFailed());
        }
    }

    /**
     * {@inheritDoc} The buffer is a view of a transmit buffer the device reads the frame from, of
     * capacity {@code size}; this method releases it. When the device holds every transmit buffer
     * for more than a second, the frame is dropped and counted in {@link NetworkStats#txErrors()}.
     *
     * @throws IOException if the device is disconnected or failed
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        int maxFrame = known().enabled.tcpSegmentation() ? known().enabled.maxFrameSize() : mtu() + NetConfig.ETHERNET_HEADER;
        if (size < 0 || size > maxFrame) {
            throw new IllegalArgumentException("A frame of " + size + " bytes does not fit the virtio-net device, which takes "
                    + (known().enabled.tcpSegmentation() ? "frames of at most " + maxFrame + " bytes with TCP segmentation on."
                            : "at most " + maxFrame + " bytes with the Ethernet header: its MTU is " + mtu() + "."));
        }
        NetSession current = session;
        if (current == null || !current.gate.enter()) throw new IOException("The virtio-net device is disconnected.");
        try {
            current.transmitter.send(size, filler);
        } finally {
            current.gate.exit();
        }
    }

    /**
     * {@inheritDoc} The device's checksum offload both ways (VIRTIO_NET_F_CSUM and GUEST_CSUM) and TCP/IPv4
     * segmentation (HOST_TSO4), as far as it offers them on a VIRTIO 1.x transport; no large receive (frames
     * arrive in buffers of the MTU). Until this is called the driver finishes partial checksums itself and frames
     * carry no header.
     *
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public Offloads enableOffloads(Offloads wanted) throws IOException {
        synchronized (lifecycle) {
            NetSession s = session;
            if (s == null) throw new IllegalStateException("The virtio-net device is not connected.");
            Offloads granted = s.available.intersect(wanted);
            s.receiver.offloads(granted.header(), s.device.has(NetConfig.F_GUEST_CSUM));
            s.transmitter.headersToFiller(granted.header());
            s.enabled = granted;
            LOG.log(INFO, "virtio-net offloads on: {0}", granted);
            return granted;
        }
    }

    /** {@inheritDoc} After {@link #disconnect()}, the counts of the last connection. */
    @Override
    public NetworkStats stats() {
        NetSession s = last;
        return s == null ? new NetworkStats(0, 0, 0, 0, 0, 0) : s.counters.snapshot();
    }

    /** Used-ring elements the device got wrong since connect (bad ids, bad lengths); for tests and diagnostics. */
    public long deviceErrors() {
        NetSession s = last;
        return s == null ? 0 : s.deviceErrors();
    }

    /** Receive buffers in the ring or held by the stack; for tests that check every frame was released. */
    int receiveBuffersInUse() {
        return last.receiveBuffersInUse();
    }

    private NetSession known() {
        NetSession s = last;
        if (s == null) throw new IllegalStateException("The virtio-net device is not connected yet.");
        return s;
    }

    @Override
    public String toString() {
        return "VirtioNetwork";
    }
}
