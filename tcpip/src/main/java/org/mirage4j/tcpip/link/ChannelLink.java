package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;

/**
 * An in-memory {@link Network}, the test device of the direct stack (gVisor's channel link): a test
 * {@linkplain #inject injects} frames as if they had been received, and {@linkplain #read reads} the
 * frames the stack sent. Two links can also be {@linkplain #wire wired} back to back, so that what
 * one sends the other receives.
 *
 * <pre>
 *   test --inject--> [ receive queue ] --listen--> stack
 *   test <--read---- [ sent queue    ] <--write--- stack      (or, wired: straight into the peer's receive queue)
 * </pre>
 *
 * <p>Both queues are bounded. A frame injected into a full receive queue is released and counted in
 * {@link NetworkStats#rxDropped()}, as a real device drops what it has no room for; when nobody
 * reads the sent frames, the oldest is released to make room and counted in
 * {@link NetworkStats#txErrors()}. {@link #disconnect()} releases every queued frame, so a test
 * that disconnects leaks nothing.
 *
 * <p>Unlike a real device it needs no {@link #connect()} (which only undoes a disconnect).
 * Threads: {@link #listen} runs on the calling thread; every other method may be called from any
 * thread.
 */
public final class ChannelLink implements Network {

    /** The MTU of a standard Ethernet link. */
    public static final int DEFAULT_MTU = 1500;
    /** How many frames each queue holds by default. */
    public static final int DEFAULT_CAPACITY = 4096;

    private static final Logger LOG = System.getLogger("tcpip.link");
    private static final int HEADER_LENGTH = 14;
    /** Put into the receive queue by {@link #disconnect()} to wake {@link #listen}; never handed out. */
    private static final ByteBuf END = Unpooled.EMPTY_BUFFER;

    private final MacAddress mac;
    private final int mtu;
    private final ByteBufAllocator allocator;
    private final BlockingQueue<ByteBuf> received;
    private final BlockingQueue<ByteBuf> sent;
    private final AtomicLong rxPackets = new AtomicLong();
    private final AtomicLong rxBytes = new AtomicLong();
    private final AtomicLong rxDropped = new AtomicLong();
    private final AtomicLong txPackets = new AtomicLong();
    private final AtomicLong txBytes = new AtomicLong();
    private final AtomicLong txErrors = new AtomicLong();
    private volatile boolean disconnected;
    private volatile ChannelLink peer;

    /** A link with a standard MTU of 1500 and netty's default allocator. */
    public ChannelLink(MacAddress mac) {
        this(mac, DEFAULT_MTU, DEFAULT_CAPACITY, ByteBufAllocator.DEFAULT);
    }

    /** A link with the given MTU and netty's default allocator. */
    public ChannelLink(MacAddress mac, int mtu) {
        this(mac, mtu, DEFAULT_CAPACITY, ByteBufAllocator.DEFAULT);
    }

    /**
     * A link.
     *
     * @param mac the address {@link #mac()} reports
     * @param mtu the largest frame payload, 68 (the IPv4 minimum) or more
     * @param capacity how many frames each queue holds
     * @param allocator where sent frames are allocated
     */
    public ChannelLink(MacAddress mac, int mtu, int capacity, ByteBufAllocator allocator) {
        this.mac = Objects.requireNonNull(mac, "mac");
        if (mtu < 68 || mtu > 65_535) throw new IllegalArgumentException("An MTU is 68 to 65535, not " + mtu + ".");
        if (capacity < 1) throw new IllegalArgumentException("A queue holds at least 1 frame, not " + capacity + ".");
        this.mtu = mtu;
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.received = new LinkedBlockingQueue<>(capacity + 1); // + 1: room for END
        this.sent = new LinkedBlockingQueue<>(capacity);
    }

    /**
     * Wires {@code a} and {@code b} back to back: from now on each one's sent frames are received by
     * the other, instead of waiting to be {@linkplain #read read}.
     */
    public static void wire(ChannelLink a, ChannelLink b) {
        if (a == b) throw new IllegalArgumentException("A link cannot be wired to itself.");
        a.peer = b;
        b.peer = a;
    }

    /** Undoes {@link #disconnect()}: the link accepts frames again. */
    @Override
    public void connect() {
        received.clear(); // only END is left after disconnect(): inject() refused everything since
        disconnected = false;
    }

    /** Makes {@link #listen} return, releases every queued frame, and refuses frames until {@link #connect()}. */
    @Override
    public void disconnect() {
        disconnected = true;
        releaseAll(sent);
        endReceiving();
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /**
     * Hands each received frame to {@code handler} on the calling thread until {@link #disconnect()}.
     * The handler owns each frame; an exception it throws is logged and the next frame follows.
     */
    @Override
    public void listen(Consumer<ByteBuf> handler) {
        while (!disconnected) {
            ByteBuf frame;
            try {
                frame = received.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (frame == END) break;
            rxPackets.incrementAndGet();
            rxBytes.addAndGet(frame.readableBytes());
            try {
                handler.accept(frame);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A frame handler of a channel link failed; going on with the next frame", e);
            }
        }
    }

    /**
     * Allocates a buffer, lets {@code filler} write the frame, and queues it as sent (or, when wired,
     * as received by the peer). The link owns the buffer; the filler must neither release nor keep it.
     *
     * @throws IllegalArgumentException if {@code size} exceeds the MTU plus the 14-byte header
     * @throws IOException after {@link #disconnect()}
     */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        if (size > mtu + HEADER_LENGTH) {
            throw new IllegalArgumentException("A frame on this link is at most " + (mtu + HEADER_LENGTH) + " bytes, not " + size + ".");
        }
        if (disconnected) throw new IOException("The channel link is disconnected, so it cannot send.");
        ByteBuf frame = allocator.buffer(size, size);
        try {
            filler.accept(frame);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        txPackets.incrementAndGet();
        txBytes.addAndGet(frame.readableBytes());
        ChannelLink to = peer;
        if (to != null) {
            to.inject(frame);
            return;
        }
        while (!sent.offer(frame)) {
            ByteBuf oldest = sent.poll();
            if (oldest != null) {
                oldest.release();
                txErrors.incrementAndGet();
            }
        }
        if (disconnected) releaseAll(sent); // raced with disconnect(): leave nothing behind
    }

    /**
     * Queues {@code frame} as received. Takes ownership of {@code frame}: when the queue is full or the
     * link is disconnected, releases it and counts it in {@link NetworkStats#rxDropped()}.
     *
     * @return whether the frame was queued
     */
    public boolean inject(ByteBuf frame) {
        if (disconnected || received.remainingCapacity() <= 1 || !received.offer(frame)) {
            frame.release();
            rxDropped.incrementAndGet();
            return false;
        }
        if (disconnected) endReceiving(); // raced with disconnect(): leave nothing behind
        return true;
    }

    /** Copies {@code frame} into a buffer of the link's allocator and {@linkplain #inject(ByteBuf) injects} it. */
    public boolean inject(byte[] frame) {
        return inject(allocator.buffer(frame.length).writeBytes(frame));
    }

    /** The next sent frame, or {@code null} if there is none now. The caller owns it and must release it. */
    public ByteBuf poll() {
        return sent.poll();
    }

    /**
     * The next sent frame, waiting up to {@code timeout} for one; {@code null} if none came. The caller owns
     * it and must release it.
     */
    public ByteBuf read(Duration timeout) throws InterruptedException {
        return sent.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** How many sent frames wait to be read. */
    public int sentQueued() {
        return sent.size();
    }

    /** How many injected frames wait for the listener, which is how far behind it is. */
    public int receiveQueued() {
        int n = received.size();
        return disconnected ? 0 : n;
    }

    @Override
    public NetworkStats stats() {
        return new NetworkStats(rxPackets.get(), rxBytes.get(), rxDropped.get(), txPackets.get(), txBytes.get(), txErrors.get());
    }

    /** Releases the received frames and wakes {@link #listen}; there is always room for END, see inject(). */
    private void endReceiving() {
        releaseAll(received);
        received.offer(END);
    }

    private static void releaseAll(BlockingQueue<ByteBuf> queue) {
        for (ByteBuf frame; (frame = queue.poll()) != null; ) {
            if (frame != END) frame.release();
        }
    }
}
