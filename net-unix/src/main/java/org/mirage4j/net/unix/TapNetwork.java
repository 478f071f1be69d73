package org.mirage4j.net.unix;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.mirage4j.api.Key;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.net.unix.linux.Errno;
import org.mirage4j.net.unix.linux.ErrnoException;
import org.mirage4j.net.unix.linux.NetNamespace;
import org.mirage4j.net.unix.linux.Tun;

/**
 * A {@link Network} over a Linux tap interface ({@code /dev/net/tun}): the frames the stack writes
 * come out of the tap on the Linux side, and what Linux sends into the tap is what
 * {@link #listen} receives.
 *
 * <p>{@link #connect()} attaches to the interface named by {@code --interface}, or creates it (a
 * tap created here disappears on {@link #disconnect()}; one made with {@code ip tuntap add}
 * stays). With {@code --netns}, the tap is the one of that network namespace, and nothing is
 * touched in the process's own namespace. The MTU is the interface's at connect time. The
 * stack's MAC address ({@code --mac}, random if empty) is not the tap's own, which belongs to the
 * Linux side.
 *
 * <p>Offloads: the tap is attached with a virtio-net header in front of each frame where the kernel
 * allows it (see {@link Tun}), and {@link #enableOffloads} then lets the kernel hand us partial
 * checksums and TCP segments of up to 64 KiB, and take such segments from us (it cuts them into
 * MSS-sized frames and finishes their checksums): one system call per 64 KiB rather than per
 * 1514 octets. Where the kernel refuses, frames stay plain, and that is logged once at INFO.
 *
 * <p>Threads: {@link #listen} is the receive loop and runs on the thread that calls it; it waits
 * in {@code poll(2)}, so it should be a platform thread (on a virtual thread it would pin a
 * carrier for as long as the device is idle). {@link #write} may be called from any thread,
 * concurrently. {@link #disconnect()} makes {@code listen} return at once.
 */
@Singleton
public final class TapNetwork implements Network {

    private static final System.Logger LOG = System.getLogger("net.tap");
    private static final int ETHERNET_HEADER = 14;
    /** How long {@link #disconnect()} waits for writes in progress before leaving the close to them. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /**
     * A received frame at most this long is copied out of a large receive buffer, which then serves the next read:
     * ACKs and other small frames need not hold 64 KiB each while the stack handles them.
     */
    private static final int COPY_AT_MOST = 2048;

    private final String interfaceKey;
    private final String macKey;
    private final String netnsKey;
    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

    private final Object lifecycle = new Object();
    /** The current attachment; {@code null} before connect and after disconnect. */
    private volatile Attachment attachment;
    /** The counters of the latest attachment, which stay readable after disconnect. */
    private volatile Counters counters = new Counters();
    private volatile MacAddress mac;
    private volatile int mtu;
    private volatile String interfaceName;
    /** The thread running {@link #listen}, if any. */
    private volatile Thread receiver;

    /**
     * Creates the device; does no I/O (see {@link #connect()}).
     *
     * @param interfaceName the tap to attach to, created if missing
     * @param mac the stack's MAC address, or empty for a random locally administered one
     * @param netns the network namespace whose tap to attach to, or empty for the process's own
     */
    @Inject
    public TapNetwork(@Key("interface") String interfaceName, @Key("mac") String mac, @Key("netns") String netns) {
        this.interfaceKey = interfaceName;
        this.macKey = mac;
        this.netnsKey = netns;
        this.interfaceName = interfaceName;
    }

    /** The runtime keys this device reads: {@code interface}, {@code mac} and {@code netns}, with defaults and help. */
    public static List<RuntimeKey<?>> keys() {
        return TapKeys.ALL;
    }

    /**
     * Attaches to the tap interface. Called once before any other method, or again after
     * {@link #disconnect()} (the counters start from zero; the MAC address stays).
     *
     * @throws org.mirage4j.api.DeviceException whose message says what to do, for a bad key, a
     *     missing tun driver, a missing permission, or an interface that is busy or not a tap
     * @throws IllegalStateException if already connected
     */
    @Override
    public void connect() throws IOException {
        synchronized (lifecycle) {
            if (attachment != null) throw new IllegalStateException("Tap interface " + interfaceName + " is already connected.");
            TapKeys keys = TapKeys.parse(interfaceKey, macKey, netnsKey, new SecureRandom());
            String name = keys.interfaceName();
            Tun tun;
            try {
                tun = keys.netns().isEmpty() ? Tun.attach(name) : NetNamespace.callInside(keys.netns(), () -> Tun.attach(name));
            } catch (ErrnoException e) {
                throw TapErrors.attachFailed(e, name, keys.netns(), System.getProperty("user.name", "$USER"));
            }
            if (mac == null) mac = keys.mac();
            mtu = tun.mtu();
            interfaceName = tun.name();
            Counters fresh = new Counters();
            counters = fresh;
            attachment = new Attachment(tun, fresh);
            if (tun.vnetHeaderLength() == 0) {
                LOG.log(INFO, "Tap interface {0} takes no virtio-net header on this kernel, so it moves plain frames"
                        + " without checksum or segmentation offloads", tun.name());
            }
            LOG.log(INFO, "Attached to {0} tap interface {1}{2} (MTU {3}); the stack''s MAC address is {4}",
                    tun.persistent() ? "persistent" : "new", tun.name(),
                    keys.netns().isEmpty() ? "" : " in network namespace " + keys.netns(), String.valueOf(tun.mtu()), mac);
        }
    }

    /**
     * Stops the receive loop and releases the tap. When this returns, the interface is free for
     * the next process (a tap created by {@link #connect()} is gone), unless a write is still
     * running after 5 seconds, or this is called from the receive loop's handler: then the last
     * call in progress releases it. Idempotent; never throws.
     */
    @Override
    public void disconnect() {
        Attachment closing;
        synchronized (lifecycle) {
            closing = attachment;
            if (closing == null) return;
            attachment = null;
        }
        boolean fromReceiveLoop = Thread.currentThread() == receiver;
        boolean closed = closing.close(fromReceiveLoop ? Duration.ZERO : CLOSE_WAIT);
        if (closed) {
            LOG.log(INFO, "Detached from tap interface {0}", interfaceName);
        } else if (!fromReceiveLoop) {
            LOG.log(WARNING, "Tap interface {0} is still in use {1} s after disconnect; the last call using it will release it",
                    interfaceName, CLOSE_WAIT.toSeconds());
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public MacAddress mac() {
        MacAddress m = mac;
        if (m == null) throw new IllegalStateException("Tap interface " + interfaceName + " is not connected yet.");
        return m;
    }

    /**
     * {@inheritDoc} It is the interface's MTU when {@link #connect()} attached to it.
     *
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public int mtu() {
        int m = mtu;
        if (m == 0) throw new IllegalStateException("Tap interface " + interfaceName + " is not connected yet.");
        return m;
    }

    /**
     * {@inheritDoc} On a tap: partial checksums both ways ({@code TUN_F_CSUM}); TCP/IPv4 segments of
     * up to 64 KiB from us, which the kernel cuts; and, with {@code largeReceive}, such segments to
     * us ({@code TUN_F_TSO4}): the kernel's own TCP then sends us 64 KiB at a time. The offloads
     * hold until {@link #disconnect()}, which turns them off on a persistent interface.
     *
     * @throws IllegalStateException before {@link #connect()}
     * @throws IOException if the device is disconnected
     */
    @Override
    public Offloads enableOffloads(Offloads wanted) throws IOException {
        Attachment current = attachment;
        if (current == null) {
            if (mac == null) throw new IllegalStateException("Tap interface " + interfaceName + " is not connected yet.");
            throw new IOException("Tap interface " + interfaceName + " is disconnected.");
        }
        if (current.tun().vnetHeaderLength() == 0) return Offloads.NONE; // logged at connect
        if (!current.enter()) throw new IOException("Tap interface " + interfaceName + " is disconnected.");
        try {
            if (!wanted.header()) {
                // Off again (or never on): the kernel must stop handing us partial checksums and large frames.
                current.tun().setOffload(false, false);
                current.offloads(Offloads.NONE);
                return Offloads.NONE;
            }
            int result = current.tun().setOffload(true, wanted.largeReceive());
            if (result != 0) {
                LOG.log(INFO, "Tap interface {0} refused checksum and segmentation offloads ({1}), so it moves plain"
                        + " frames of at most the MTU", interfaceName, Errno.text(-result));
                return Offloads.NONE;
            }
            boolean large = wanted.tcpSegmentation() || wanted.largeReceive();
            Offloads on = new Offloads(true, wanted.tcpSegmentation(), wanted.largeReceive(),
                    large ? Math.max(mtu + ETHERNET_HEADER, Math.min(wanted.maxFrameSize(), Offloads.MAX_FRAME_SIZE)) : 0);
            current.offloads(on);
            LOG.log(INFO, "Tap interface {0} offloads: {1}", interfaceName, on);
            return on;
        } finally {
            current.exit();
        }
    }

    /**
     * Receives frames until {@link #disconnect()}, calling {@code handler} on this thread once per
     * frame, in arrival order. Each frame is a direct buffer that the handler owns and must
     * release; with offloads on, its {@link VirtioNetHeader} is in front of its reader index. A
     * frame longer than the MTU plus the Ethernet header (with large receive on, than the
     * offloads' {@code maxFrameSize}) is counted in
     * {@link NetworkStats#rxDropped()} and never reaches the handler. A handler that throws has
     * the exception logged; the loop goes on with the next frame.
     *
     * <p>Returns at once if the device has been disconnected.
     *
     * @throws IOException if the tap stops working, for example when it is deleted while attached
     * @throws IllegalStateException before {@link #connect()}, or if another thread is already listening
     */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        listen(handler, () -> {});
    }

    /**
     * {@inheritDoc} A burst ends when a read finds no further frame ready ({@code EAGAIN}), before the loop waits in
     * {@code poll(2)} again; a {@code burstEnd} that throws is logged like a handler that throws.
     */
    @Override
    public void listen(Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
        Attachment current = attachment;
        if (current == null) {
            if (mac == null) throw new IllegalStateException("Tap interface " + interfaceName + " is not connected yet.");
            return; // disconnected
        }
        if (!current.enter()) return;
        try {
            synchronized (lifecycle) {
                if (receiver != null) {
                    throw new IllegalStateException("Tap interface " + interfaceName + " is already being listened to by "
                            + receiver + ".");
                }
                receiver = Thread.currentThread();
            }
            try {
                receiveLoop(current, handler, burstEnd);
            } finally {
                receiver = null;
            }
        } finally {
            current.exit();
        }
    }

    private void receiveLoop(Attachment current, Consumer<ByteBuf> handler, Runnable burstEnd) throws IOException {
        Tun tun = current.tun();
        Counters count = current.counters();
        int header = tun.vnetHeaderLength();
        ByteBuf buffer = null;
        try {
            while (tun.awaitReadable()) {
                Offloads offloads = current.offloads();
                int maxFrame = offloads.largeReceive() ? offloads.maxFrameSize() : tun.mtu() + ETHERNET_HEADER;
                // One spare byte tells a frame that is too long from one that fills the buffer exactly.
                int capacity = header + maxFrame + 1;
                // Read the whole burst before polling again: one read per frame, plus one that says EAGAIN.
                while (!current.isClosing()) {
                    if (buffer != null && buffer.capacity() != capacity) {
                        buffer.release();
                        buffer = null;
                    }
                    if (buffer == null) buffer = allocator.directBuffer(capacity, capacity);
                    // The kernel copies the frame straight into the buffer's memory: no copy of ours.
                    long n = read(tun, buffer, capacity);
                    if (n == -Errno.EAGAIN) {
                        endBurst(burstEnd);
                        break;
                    }
                    if (n == -Errno.EINVAL && header > 0) {
                        // With the header on, tun refuses to hand over a packet it cannot describe in one (an
                        // unexpected GSO type): that packet is lost, the device is fine.
                        count.rxDropped.increment();
                        continue;
                    }
                    if (n < 0) throw TapErrors.readFailed((int) -n, tun.name());
                    if (n - header > maxFrame || n < header) {
                        count.rxDropped.increment(); // the buffer is reused for the next frame
                        continue;
                    }
                    count.rxPackets.increment();
                    count.rxBytes.add(n - header);
                    ByteBuf frame;
                    if (n <= COPY_AT_MOST && capacity > 2 * COPY_AT_MOST) {
                        frame = allocator.directBuffer((int) n, (int) n).writeBytes(buffer, 0, (int) n);
                    } else {
                        frame = buffer.writerIndex((int) n);
                        buffer = null; // from here on, the frame is the handler's to release
                    }
                    frame.readerIndex(header); // the virtio-net header, if any, stays in front
                    deliver(handler, frame);
                }
            }
        } finally {
            if (buffer != null) buffer.release();
        }
    }

    /** Reads one frame into the first {@code length} octets of {@code buffer}, a direct buffer; see {@link Tun#read}. */
    private static long read(Tun tun, ByteBuf buffer, int length) {
        if (buffer.hasMemoryAddress()) return tun.read(buffer.memoryAddress(), length);
        return tun.read(MemorySegment.ofBuffer(buffer.internalNioBuffer(0, length)));
    }

    private static void endBurst(Runnable burstEnd) {
        try {
            burstEnd.run();
        } catch (RuntimeException e) {
            LOG.log(WARNING, "The burst-end callback threw; the receive loop goes on", e);
        }
    }

    private static void deliver(Consumer<ByteBuf> handler, ByteBuf frame) {
        try {
            handler.accept(frame);
        } catch (RuntimeException e) {
            // The frame was the handler's from the call on; whether it released it is its own business.
            LOG.log(WARNING, "The frame handler threw; the receive loop goes on", e);
        }
    }

    /**
     * {@inheritDoc} The buffer is a direct buffer with room for {@code size} octets at its writer
     * index (and, with offloads on, a zeroed {@link VirtioNetHeader} in front of its reader index,
     * which the filler may fill in), released by this method when the frame is sent (or the filler
     * throws). With TCP segmentation on, {@code size} may be up to the offloads' {@code maxFrameSize}.
     *
     * <p>A frame the kernel refuses because the interface is down or short of memory is counted
     * in {@link NetworkStats#txErrors()} and dropped, as a link drops frames.
     *
     * @throws IOException if the device is disconnected, or the kernel rejects the frame itself
     *     (for example one shorter than an Ethernet header)
     * @throws IllegalStateException before {@link #connect()}
     */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        Attachment current = attachment;
        Offloads offloads = current == null ? Offloads.NONE : current.offloads();
        int maxFrame = offloads.tcpSegmentation() ? offloads.maxFrameSize() : mtu() + ETHERNET_HEADER;
        if (size < 0 || size > maxFrame) {
            throw new IllegalArgumentException("A frame of " + size + " bytes does not fit tap interface " + interfaceName
                    + (offloads.tcpSegmentation() ? ", which takes frames of at most " + maxFrame + " bytes with TCP segmentation on."
                            : ", whose MTU of " + mtu() + " allows at most " + maxFrame + " bytes with the Ethernet header."));
        }
        if (current == null || !current.enter()) {
            throw new IOException("Tap interface " + interfaceName + " is disconnected.");
        }
        int header = current.tun().vnetHeaderLength();
        ByteBuf buffer = allocator.directBuffer(header + size, header + size);
        try {
            // A zero header is "an ordinary frame, checksums complete"; the filler may ask for more in it.
            buffer.setZero(0, header).setIndex(header, header);
            filler.accept(buffer);
            if (buffer.readerIndex() < header) {
                // The header must sit in front of the frame; below it are bytes that are not this buffer's to send.
                throw new IllegalStateException("The filler moved the frame's reader index back to " + buffer.readerIndex()
                        + ", into the " + header + "-byte header in front of it; write the frame at the writer index only.");
            }
            int length = buffer.readableBytes();
            long n = write(current.tun(), buffer, buffer.readerIndex() - header, header + length);
            Counters count = current.counters();
            if (n == header + length) {
                count.txPackets.increment();
                count.txBytes.add(length);
                return;
            }
            count.txErrors.increment();
            if (n == -Errno.EIO || n == -Errno.ENOBUFS || n == -Errno.ENOMEM || n == -Errno.EAGAIN) {
                LOG.log(DEBUG, "Tap interface {0} dropped a frame of {1} bytes: {2}", interfaceName, length,
                        Errno.text((int) -n));
                return;
            }
            throw new IOException("Sending a frame of " + length + " bytes on tap interface " + interfaceName + " failed: "
                    + (n < 0 ? Errno.text((int) -n) + " (errno " + -n + ")" : "only " + n + " bytes were written") + ".");
        } finally {
            buffer.release();
            current.exit();
        }
    }

    /** Writes {@code length} octets at {@code index} of {@code buffer}, a direct buffer; see {@link Tun#write}. */
    private static long write(Tun tun, ByteBuf buffer, int index, int length) {
        if (buffer.hasMemoryAddress()) return tun.write(buffer.memoryAddress() + index, length);
        return tun.write(MemorySegment.ofBuffer(buffer.internalNioBuffer(index, length)));
    }

    /** {@inheritDoc} After {@link #disconnect()}, the counts of the last connection. */
    @Override
    public NetworkStats stats() {
        return counters.snapshot();
    }

    @Override
    public String toString() {
        return "TapNetwork[" + interfaceName + (netnsKey.isEmpty() ? "" : " in " + netnsKey) + "]";
    }
}
