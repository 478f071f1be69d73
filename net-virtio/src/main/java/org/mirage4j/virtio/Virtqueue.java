package org.mirage4j.virtio;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.DeviceException;

/**
 * The driver's side of one split virtqueue (VIRTIO 1.2 §2.7): it offers chains of buffers to the
 * device through the available ring and takes them back from the used ring, each chain carrying a
 * token of the caller's (the buffer it describes, the request waiting for it).
 *
 * <p>What the driver needs to stay correct lives in Java arrays, never read back from the shared
 * memory: the free-descriptor list, the chains and their writable lengths, the token of each head.
 * A device that writes nonsense into the used ring therefore cannot corrupt the driver: an element
 * whose id is out of range or not in flight is counted and skipped, one whose length exceeds its
 * chain's writable bytes is returned with {@link Used#lengthValid()} false so the caller drops the
 * data, and a used index that runs further ahead than the queue is long makes the queue
 * {@linkplain #brokenReason() broken}. Each kind of misbehaviour is logged once per queue; all are
 * counted in {@link #deviceErrors()}.
 *
 * <p>Memory order (§2.7.13, §2.7.14): descriptors and ring entries are written before a release
 * fence that precedes the store of the available index; the used index is read before an acquire
 * fence that precedes reading used elements; a full fence separates publishing an index from
 * reading the other side's suppression field.
 *
 * <p>Threads: not thread-safe; the owner serialises calls (the net driver's transmit lock, the
 * receive loop). {@link #deviceErrors()} may be read from any thread.
 *
 * @param <T> the token type
 */
public final class Virtqueue<T> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("virtio.queue");

    /** The chain continues at {@code next}. */
    static final int DESC_F_NEXT = 1;
    /** The device writes this buffer (otherwise it reads it). */
    static final int DESC_F_WRITE = 2;
    /** In the available ring's flags: do not interrupt (when event index is not negotiated). */
    static final int AVAIL_F_NO_INTERRUPT = 1;
    /** In the used ring's flags: do not notify (when event index is not negotiated). */
    static final int USED_F_NO_NOTIFY = 1;

    private final String name;
    private final int index;
    private final VirtqueueLayout layout;
    private final boolean eventIndex;
    private final DmaRegion region;
    private final MemorySegment ring;

    private final Object[] tokens;
    private final int[] nextFree;
    private final int[] chainNext;
    private final int[] chainLength;
    private final long[] writableBytes;
    private int freeHead;
    private int freeCount;

    /** The available index as the driver has written it (published or not). */
    private int availIdx;
    /** The available index at the last {@link #publish()}. */
    private int availPublished;
    /** The next used element to read. */
    private int lastUsed;

    private final AtomicLong deviceErrors = new AtomicLong();
    private boolean loggedBadId;
    private boolean loggedNotInFlight;
    private boolean loggedBadLength;
    private volatile String brokenReason;

    private Virtqueue(String name, int index, VirtqueueLayout layout, boolean eventIndex, DmaRegion region) {
        this.name = name;
        this.index = index;
        this.layout = layout;
        this.eventIndex = eventIndex;
        this.region = region;
        this.ring = region.segment();
        int size = layout.size();
        this.tokens = new Object[size];
        this.nextFree = new int[size];
        this.chainNext = new int[size];
        this.chainLength = new int[size];
        this.writableBytes = new long[size];
        for (int i = 0; i < size; i++) nextFree[i] = i + 1;
        this.freeHead = 0;
        this.freeCount = size;
    }

    /**
     * Allocates the rings of queue {@code index} in {@code memory} and hands them to the device.
     * The size is {@code preferredSize} or the device's maximum, whichever is smaller (a legacy
     * device's maximum, which it does not let the driver change).
     *
     * @param deviceName for messages, such as {@code "virtio-net"}
     * @throws DeviceException when the device has no such queue, or its size is not a power of two
     */
    public static <T> Virtqueue<T> create(String deviceName, VirtioTransport transport, DmaMemory memory, int index,
            int preferredSize, boolean eventIndex) throws DeviceException {
        int max = transport.queueMaxSize(index);
        if (max == 0) throw new DeviceException("The " + deviceName + " device has no queue " + index + "; use a device of that type that QEMU emulates.");
        int size = transport.legacy() ? max : Math.min(Integer.highestOneBit(max), Integer.highestOneBit(Math.max(1, preferredSize)));
        if (Integer.bitCount(size) != 1 || size > VirtqueueLayout.MAX_SIZE) {
            throw new DeviceException("The " + deviceName + " device's queue " + index + " has " + size
                    + " entries, which is no power of two up to 32768; use a device that follows VIRTIO 1.x.");
        }
        VirtqueueLayout layout = VirtqueueLayout.of(size, transport.legacy());
        DmaRegion region = memory.allocate(layout.totalBytes(), VirtqueueLayout.LEGACY_ALIGN);
        Virtqueue<T> queue = new Virtqueue<>(deviceName, index, layout, eventIndex, region);
        transport.enableQueue(index, size, region.deviceAddress(0), region.deviceAddress(layout.availOffset()),
                region.deviceAddress(layout.usedOffset()));
        return queue;
    }

    /** The number of entries. */
    public int size() {
        return layout.size();
    }

    /** The queue's index on its device. */
    public int index() {
        return index;
    }

    /** Descriptors not in any chain offered to the device. */
    public int freeDescriptors() {
        return freeCount;
    }

    /** Chains the device has not given back yet. */
    public boolean hasInFlight() {
        return freeCount < layout.size();
    }

    /**
     * Writes one chain into the descriptor table and the available ring, not yet visible to the
     * device (see {@link #publish()}). The first {@code readableCount} buffers are read by the
     * device, the rest written by it (§2.7.4.2 wants readable ones first).
     *
     * @param addresses the device address of each buffer
     * @param lengths the length of each buffer
     * @return false, changing nothing, when fewer than {@code addresses.length} descriptors are free
     */
    public boolean add(T token, long[] addresses, int[] lengths, int readableCount) {
        int n = addresses.length;
        if (n == 0 || n != lengths.length || token == null) throw new IllegalArgumentException("A chain has at least one buffer and a token.");
        if (n > freeCount) return false;
        int head = freeHead;
        int id = head;
        long writable = 0;
        for (int i = 0; i < n; i++) {
            int next = nextFree[id];
            boolean last = i == n - 1;
            boolean deviceWrites = i >= readableCount;
            long at = layout.descriptor(id);
            RingMemory.u64(ring, at, addresses[i]);
            RingMemory.u32(ring, at + 8, lengths[i]);
            RingMemory.u16(ring, at + 12, (last ? 0 : DESC_F_NEXT) | (deviceWrites ? DESC_F_WRITE : 0));
            RingMemory.u16(ring, at + 14, last ? 0 : next);
            if (deviceWrites) writable += Integer.toUnsignedLong(lengths[i]);
            chainNext[id] = next;
            if (!last) id = next;
            else freeHead = next;
        }
        freeCount -= n;
        tokens[head] = token;
        chainLength[head] = n;
        writableBytes[head] = writable;
        RingMemory.u16(ring, layout.availRing(availIdx & (layout.size() - 1)), head);
        availIdx = (availIdx + 1) & 0xFFFF;
        return true;
    }

    /** {@link #add(Object, long[], int[], int)} for a chain of one buffer. */
    public boolean add(T token, long address, int length, boolean deviceWrites) {
        return add(token, new long[] {address}, new int[] {length}, deviceWrites ? 0 : 1);
    }

    /**
     * Makes the chains added since the last call visible to the device, and says whether the device
     * wants a notification for them (§2.7.13.3, §2.7.10): the caller then calls
     * {@link VirtioTransport#notifyQueue}.
     */
    public boolean publish() {
        if (availIdx == availPublished) return false;
        VarHandle.releaseFence(); // descriptors and ring entries before the index (§2.7.13.2)
        RingMemory.u16(ring, layout.availIdx(), availIdx);
        VarHandle.fullFence(); // the index before reading the device's suppression (§2.7.13.3)
        int old = availPublished;
        availPublished = availIdx;
        if (eventIndex) return EventIndex.needsEvent(RingMemory.u16(ring, layout.availEvent()), availIdx, old);
        return (RingMemory.u16(ring, layout.usedFlags()) & USED_F_NO_NOTIFY) == 0;
    }

    /**
     * Takes the next chain the device gave back, or returns null when there is none (or the queue
     * is {@linkplain #brokenReason() broken}). Elements a misbehaving device made up are counted
     * and skipped.
     */
    @SuppressWarnings("unchecked")
    public Used<T> poll() {
        while (brokenReason == null) {
            int usedIdx = RingMemory.u16(ring, layout.usedIdx());
            VarHandle.acquireFence(); // the index before the elements it covers (§2.7.14)
            int pending = EventIndex.distance(lastUsed, usedIdx);
            if (pending == 0) return null;
            if (pending > layout.size()) {
                broken("its used index jumped from " + lastUsed + " to " + usedIdx + ", more than the " + layout.size()
                        + " entries of the queue");
                return null;
            }
            long at = layout.usedElement(lastUsed & (layout.size() - 1));
            int id = RingMemory.u32(ring, at);
            long length = Integer.toUnsignedLong(RingMemory.u32(ring, at + 4));
            lastUsed = (lastUsed + 1) & 0xFFFF;
            if (id < 0 || id >= layout.size()) {
                loggedBadId = misbehaved(loggedBadId, "gave back descriptor id " + Integer.toUnsignedString(id)
                        + ", outside the queue of " + layout.size());
                continue;
            }
            Object token = tokens[id];
            if (token == null) {
                loggedNotInFlight = misbehaved(loggedNotInFlight, "gave back descriptor id " + id
                        + ", which heads no chain it holds (a repeated or made-up id)");
                continue;
            }
            long writable = writableBytes[id];
            freeChain(id);
            // A chain the device only reads has no length to check (devices write 0 or ignore it).
            if (writable > 0 && length > writable) {
                loggedBadLength = misbehaved(loggedBadLength, "reported " + length + " bytes written into a chain of "
                        + writable + " writable bytes");
                return new Used<>((T) token, 0, false);
            }
            return new Used<>((T) token, (int) Math.min(length, Integer.MAX_VALUE), true);
        }
        return null;
    }

    /**
     * Asks the device to interrupt when it next gives a chain back (§2.7.10), then says whether
     * chains are already waiting, in which case the caller should {@link #poll()} before waiting.
     */
    public boolean enableInterrupts() {
        if (eventIndex) {
            RingMemory.u16(ring, layout.usedEvent(), lastUsed);
        } else {
            RingMemory.u16(ring, layout.availFlags(), 0);
        }
        VarHandle.fullFence(); // the request before re-reading the used index
        return brokenReason == null && RingMemory.u16(ring, layout.usedIdx()) != lastUsed;
    }

    /**
     * Asks the device not to interrupt for this queue (only a hint: §2.7.10); with the event index
     * it leaves used_event where it is, which has the same effect once the device passes it.
     */
    public void disableInterrupts() {
        if (!eventIndex) RingMemory.u16(ring, layout.availFlags(), AVAIL_F_NO_INTERRUPT);
    }

    /** How many used elements the device made up or got wrong since the queue was created. */
    public long deviceErrors() {
        return deviceErrors.get();
    }

    /**
     * Why the queue cannot be used any more (the device broke the ring's invariants), or null while
     * it works.
     */
    public String brokenReason() {
        return brokenReason;
    }

    /**
     * Returns the tokens of every chain still offered to the device, and forgets them; only after
     * the device was reset, when it no longer touches the queue.
     */
    @SuppressWarnings("unchecked")
    public List<T> drainInFlight() {
        List<T> out = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                out.add((T) tokens[id]);
                freeChain(id);
            }
        }
        return out;
    }

    /** The tokens of every chain still offered to the device, which keeps them. */
    @SuppressWarnings("unchecked")
    public List<T> inFlight() {
        List<T> out = new ArrayList<>();
        for (Object token : tokens) if (token != null) out.add((T) token);
        return out;
    }

    /** Frees the rings' memory; only after the device was reset. */
    @Override
    public void close() {
        region.close();
    }

    private void freeChain(int head) {
        int id = head;
        for (int i = 1; i < chainLength[head]; i++) id = chainNext[id];
        nextFree[id] = freeHead;
        freeHead = head;
        freeCount += chainLength[head];
        tokens[head] = null;
        chainLength[head] = 0;
        writableBytes[head] = 0;
    }

    private boolean misbehaved(boolean logged, String what) {
        deviceErrors.incrementAndGet();
        LOG.log(logged ? DEBUG : WARNING, "The {0} device {1} on queue {2}; the element is dropped{3}", name, what, index,
                logged ? "" : " (further ones are counted, not logged)");
        return true;
    }

    private void broken(String what) {
        deviceErrors.incrementAndGet();
        brokenReason = "The " + name + " device " + what + " on queue " + index + "; the driver gave up on it.";
    }

    /**
     * A chain the device gave back.
     *
     * @param token what the caller added the chain with
     * @param length the bytes the device wrote into the chain's writable buffers; 0 when not
     *     {@code lengthValid}
     * @param lengthValid false when the device reported more bytes than the chain can hold: the
     *     caller must not trust the data and drops it
     */
    public record Used<T>(T token, int length, boolean lengthValid) {}
}
