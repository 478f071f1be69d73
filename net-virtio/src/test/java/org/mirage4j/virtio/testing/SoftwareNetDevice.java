package org.mirage4j.virtio.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.virtio.Features;
import org.mirage4j.virtio.VirtioBus;

/**
 * A virtio-net device (VIRTIO 1.2 §5.1) whose wire is two queues in the test: frames the test
 * {@link #inject}s arrive at the driver, and frames the driver sends are {@link #takeSent taken}
 * by the test, byte for byte, without their virtio_net_hdr.
 *
 * <p>It offers MAC (when given one), MTU (when given one), RING_EVENT_IDX, ANY_LAYOUT (legacy, when
 * asked), checksum offload both ways and TCP segmentation (CSUM, GUEST_CSUM, HOST_TSO4: it passes the
 * driver's headers to the test as they are, and hands the driver the headers the test injects) and,
 * to check that a driver takes only what it understands, MRG_RXBUF and STATUS. A frame arriving when
 * the driver has no receive buffer waits (the wire is lossless); one larger than the buffer is dropped
 * and counted.
 */
public final class SoftwareNetDevice extends SoftwareDevice {

    /** Features offered only to see them refused: MRG_RXBUF, STATUS. */
    public static final long BAIT_FEATURES = Features.bit(15) | Features.bit(16);
    /** The offloads offered: CSUM, GUEST_CSUM, HOST_TSO4. */
    public static final long OFFLOAD_FEATURES = Features.bit(0) | Features.bit(1) | Features.bit(11);

    private final MacAddress mac;
    private final int mtu;
    private final ConcurrentLinkedQueue<byte[][]> toDriver = new ConcurrentLinkedQueue<>(); // {header or null, frame}
    private final BlockingQueue<byte[]> fromDriver = new LinkedBlockingQueue<>();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong badHeaders = new AtomicLong();

    /**
     * @param mac the MAC address in the configuration, or null to offer none
     * @param mtu the MTU in the configuration, or 0 to offer none
     * @param anyLayout whether a legacy device offers ANY_LAYOUT (modern devices always allow it)
     */
    public SoftwareNetDevice(SoftwareDmaMemory memory, boolean legacy, int queueSize, MacAddress mac, int mtu,
            boolean eventIndex, boolean anyLayout) {
        super(VirtioBus.NETWORK, memory, legacy, 2, queueSize,
                (mac != null ? Features.bit(5) : 0) | (mtu > 0 ? Features.bit(3) : 0)
                        | (anyLayout ? Features.bit(Features.ANY_LAYOUT) : 0) | BAIT_FEATURES | OFFLOAD_FEATURES,
                eventIndex);
        this.mac = mac;
        this.mtu = mtu;
    }

    /** A modern device with MAC 52:54:00:12:34:56, no MTU, event index, queues of 256. */
    public static SoftwareNetDevice modern(SoftwareDmaMemory memory) {
        return new SoftwareNetDevice(memory, false, 256, MacAddress.parse("52:54:00:12:34:56"), 0, true, false);
    }

    /** A legacy device with MAC 52:54:00:12:34:57, no event index, no ANY_LAYOUT, queues of 128. */
    public static SoftwareNetDevice legacy(SoftwareDmaMemory memory) {
        return new SoftwareNetDevice(memory, true, 128, MacAddress.parse("52:54:00:12:34:57"), 0, false, false);
    }

    /** Puts {@code frame} on the wire towards the driver. */
    public void inject(byte[] frame) {
        toDriver.add(new byte[][] {null, frame.clone()});
        wake();
    }

    /** Puts {@code frame} on the wire towards the driver with {@code header} as its virtio_net_hdr (flags first). */
    public void inject(byte[] frame, byte[] header) {
        toDriver.add(new byte[][] {header.clone(), frame.clone()});
        wake();
    }

    /** The next frame the driver sent, without its virtio_net_hdr, or null after {@code timeout}. */
    public byte[] takeSent(Duration timeout) throws InterruptedException {
        byte[] all = takeSentWithHeader(timeout);
        return all == null ? null : Arrays.copyOfRange(all, headerLength(), all.length);
    }

    /** The next frame the driver sent, behind its virtio_net_hdr as the driver wrote it, or null after {@code timeout}. */
    public byte[] takeSentWithHeader(Duration timeout) throws InterruptedException {
        return fromDriver.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Frames injected that the driver has not received yet. */
    public int waitingForDriver() {
        return toDriver.size();
    }

    /** Frames dropped because they did not fit the driver's receive buffer. */
    public long oversized() {
        return oversized.get();
    }

    /**
     * Frames sent with a virtio_net_hdr that asks for an offload not negotiated (a partial checksum without CSUM, a
     * segmentation without HOST_TSO4) or sets octets that must be zero.
     */
    public long badHeaders() {
        return badHeaders.get();
    }

    private int headerLength() {
        return negotiated(Features.VERSION_1) ? 12 : 10;
    }

    private boolean headerAllowed(byte[] all) {
        int flags = all[0] & 0xFF;
        int gsoType = all[1] & 0xFF;
        if ((flags & ~1) != 0 || ((flags & 1) != 0 && !negotiated(0))) return false;
        if (gsoType != 0 && (!negotiated(11) || (flags & 1) == 0)) return false;
        if (flags == 0 && gsoType == 0) {
            for (int i = 2; i < headerLength(); i++) if (all[i] != 0) return false;
        }
        return headerLength() < 12 || (all[10] == 0 && all[11] == 0); // num_buffers: the device's to write
    }

    @Override
    protected byte[] config() {
        byte[] c = new byte[12];
        if (mac != null) System.arraycopy(mac.octets(), 0, c, 0, 6);
        c[6] = 1; // status: link up
        c[8] = 1; // one queue pair
        c[10] = (byte) mtu;
        c[11] = (byte) (mtu >>> 8);
        return c;
    }

    @Override
    protected boolean service() {
        DeviceRing rx = ring(0);
        DeviceRing tx = ring(1);
        if (rx == null || tx == null) return false;
        int header = headerLength();
        boolean sent = false;
        Chain chain;
        while ((chain = tx.next()) != null) {
            byte[] all = chain.readable();
            if (!headerAllowed(all)) badHeaders.incrementAndGet();
            fromDriver.add(all);
            complete(tx, chain, 0);
            sent = true;
        }
        if (sent) signal(tx);
        boolean received = false;
        while (!toDriver.isEmpty()) {
            chain = rx.next();
            if (chain == null) break;
            byte[][] next = toDriver.poll();
            byte[] frame = next[1];
            byte[] withHeader = new byte[header + frame.length];
            if (next[0] != null) System.arraycopy(next[0], 0, withHeader, 0, Math.min(header, next[0].length));
            System.arraycopy(frame, 0, withHeader, header, frame.length);
            if (chain.write(withHeader)) {
                complete(rx, chain, withHeader.length);
            } else {
                oversized.incrementAndGet();
                complete(rx, chain, 0);
            }
            received = true;
        }
        if (received) signal(rx);
        if (sent || received) return true;
        boolean waiting = arm(tx);
        if (!toDriver.isEmpty()) waiting |= arm(rx);
        return waiting;
    }
}
