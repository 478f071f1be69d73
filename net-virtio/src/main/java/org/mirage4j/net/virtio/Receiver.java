package org.mirage4j.net.virtio;

import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBuf;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.virtio.DmaSlots;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.Virtqueue;

/**
 * The receive side of a virtio-net device: keeps the receive queue stocked with buffers from the
 * pool and hands what the device wrote to the handler as {@link RxFrame}s.
 *
 * <p>Each buffer is one slot: the virtio_net_hdr, then room for a frame of the MTU plus the
 * Ethernet header. On a device that wants the header in a descriptor of its own (legacy without
 * ANY_LAYOUT, §5.1.6.6 legacy note), a buffer is a chain of two descriptors over the same slot.
 *
 * <p>Threads: only the receive loop calls it.
 */
final class Receiver {

    private static final System.Logger LOG = System.getLogger("net.virtio");

    /** Where the virtio_net_hdr's csum_start and csum_offset sit in a buffer (§5.1.6; see {@link VirtioNetHeader}). */
    private static final long CSUM_START = 6;
    private static final long CSUM_OFFSET = 8;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final VirtioTransport transport;
    private final Virtqueue<DmaSlots.Slot> queue;
    private final DmaSlots pool;
    private final int header;
    private final boolean headerApart;
    private final int maxFrame;
    private final NetCounters counters;
    /** Finish the checksums the device left partial: GUEST_CSUM is on and the stack did not ask for offloads. */
    private volatile boolean finishPartial;
    /** Hand frames with their virtio_net_hdr in front of the reader index: the stack turned offloads on. */
    private volatile boolean headerInFront;

    Receiver(VirtioTransport transport, Virtqueue<DmaSlots.Slot> queue, DmaSlots pool, int header, boolean headerApart,
            int maxFrame, NetCounters counters) {
        this.transport = transport;
        this.queue = queue;
        this.pool = pool;
        this.header = header;
        this.headerApart = headerApart;
        this.maxFrame = maxFrame;
        this.counters = counters;
    }

    Virtqueue<DmaSlots.Slot> queue() {
        return queue;
    }

    /**
     * How frames reach the stack from now on: with {@code offloads}, behind their 12-octet virtio_net_hdr, partial
     * checksums left to the stack; without, as plain frames, partial checksums finished here when the device may
     * send them ({@code guestChecksum}: GUEST_CSUM is on).
     */
    void offloads(boolean offloads, boolean guestChecksum) {
        headerInFront = offloads;
        finishPartial = !offloads && guestChecksum;
    }

    /** Offers the device every free buffer the ring has room for, and notifies it if it asks. */
    void refill() {
        int perBuffer = headerApart ? 2 : 1;
        while (queue.freeDescriptors() >= perBuffer) {
            DmaSlots.Slot slot = pool.take();
            if (slot == null) break; // the stack holds the rest; they come back as it releases frames
            boolean added = headerApart
                    ? queue.add(slot, new long[] {slot.deviceAddress(), slot.deviceAddress() + header},
                            new int[] {header, maxFrame}, 0)
                    : queue.add(slot, slot.deviceAddress(), header + maxFrame, true);
            if (!added) {
                pool.give(slot);
                break;
            }
        }
        if (queue.publish()) transport.notifyQueue(queue.index());
    }

    /**
     * Hands every frame the device gave back to {@code handler}, which owns each one; returns how
     * many were taken from the ring (delivered or dropped).
     */
    int drain(Consumer<ByteBuf> handler) {
        int taken = 0;
        Virtqueue.Used<DmaSlots.Slot> used;
        while ((used = queue.poll()) != null) {
            taken++;
            DmaSlots.Slot slot = used.token();
            int frame = used.length() - header;
            if (!used.lengthValid() || frame <= 0 || frame > maxFrame) {
                // A bad length (counted by the queue) or a frame with no bytes: nothing to deliver.
                counters.rxDropped.increment();
                pool.give(slot);
                continue;
            }
            if (finishPartial && (slot.segment().get(ValueLayout.JAVA_BYTE, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0
                    && !PartialChecksum.finish(slot.segment().asSlice(header, frame), frame,
                            slot.segment().get(LE16, CSUM_START) & 0xFFFF, slot.segment().get(LE16, CSUM_OFFSET) & 0xFFFF)) {
                counters.rxDropped.increment(); // a partial checksum whose field lies outside the frame
                pool.give(slot);
                continue;
            }
            counters.rxPackets.increment();
            counters.rxBytes.add(frame);
            ByteBuf buf = headerInFront ? RxFrame.withHeader(pool, slot, header, frame) : RxFrame.of(pool, slot, header, frame);
            try {
                handler.accept(buf); // from here on, the frame is the handler's to release
            } catch (RuntimeException e) {
                LOG.log(WARNING, "The frame handler threw; the receive loop goes on", e);
            }
        }
        return taken;
    }

    /** Takes back the buffers the device still holds; only after the device was reset. */
    void reclaimAll() {
        queue.drainInFlight().forEach(pool::give);
    }
}
