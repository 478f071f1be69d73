package org.mirage4j.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.virtio.testing.Chain;
import org.mirage4j.virtio.testing.DeviceRing;
import org.mirage4j.virtio.testing.SoftwareDmaMemory;
import org.mirage4j.virtio.testing.SoftwareNetDevice;

/** The driver's side of a split virtqueue against the device's side played by hand, one step at a time. */
class VirtqueueTest {

    private final SoftwareDmaMemory memory = new SoftwareDmaMemory();
    private final List<Virtqueue<?>> queues = new ArrayList<>();
    private DmaRegion buffers;

    @AfterEach
    void free() {
        queues.forEach(Virtqueue::close);
        if (buffers != null) buffers.close();
        assertThat(memory.liveRegions()).isZero();
    }

    private SoftwareNetDevice device(boolean legacy, int size, boolean eventIndex) {
        SoftwareNetDevice device = new SoftwareNetDevice(memory, legacy, size, null, 0, eventIndex, false);
        device.driverFeatures(eventIndex ? Features.bit(Features.RING_EVENT_IDX) : 0);
        return device;
    }

    private Virtqueue<Integer> queue(SoftwareNetDevice device, int preferred, boolean eventIndex) throws Exception {
        Virtqueue<Integer> q = Virtqueue.create("test", device, memory, 0, preferred, eventIndex);
        queues.add(q);
        return q;
    }

    private long buffer(int offset) throws Exception {
        if (buffers == null) buffers = memory.allocate(1 << 16, 64);
        return buffers.deviceAddress(offset);
    }

    @Test
    void indicesWrapAroundSixteenBitsAndTokensComeBackInOrder() throws Exception {
        SoftwareNetDevice device = device(false, 4, false);
        Virtqueue<Integer> q = queue(device, 4, false);
        DeviceRing ring = device.deviceRing(0);
        int rounds = 70_000; // past 65535 for both indices
        int given = 0;
        int taken = 0;
        while (taken < rounds) {
            while (given < rounds && q.add(given, buffer(64 * (given % 4)), 64, true)) given++;
            q.publish();
            Chain c;
            while ((c = ring.next()) != null) ring.push(c.head(), 10);
            ring.publish();
            Virtqueue.Used<Integer> u;
            while ((u = q.poll()) != null) {
                assertThat(u.token()).isEqualTo(taken++);
                assertThat(u.length()).isEqualTo(10);
                assertThat(u.lengthValid()).isTrue();
            }
        }
        assertThat(q.freeDescriptors()).isEqualTo(4);
        assertThat(q.deviceErrors()).isZero();
    }

    @Test
    void runningOutOfDescriptorsRefusesAndChangesNothing() throws Exception {
        SoftwareNetDevice device = device(false, 8, false);
        Virtqueue<Integer> q = queue(device, 8, false);
        DeviceRing ring = device.deviceRing(0);
        assertThat(q.add(1, new long[] {buffer(0), buffer(64), buffer(128)}, new int[] {8, 8, 8}, 1)).isTrue();
        assertThat(q.add(2, new long[] {buffer(0), buffer(64), buffer(128), buffer(192)}, new int[] {8, 8, 8, 8}, 4)).isTrue();
        assertThat(q.freeDescriptors()).isEqualTo(1);
        assertThat(q.add(3, new long[] {buffer(0), buffer(64)}, new int[] {8, 8}, 2)).isFalse();
        assertThat(q.freeDescriptors()).isEqualTo(1);
        assertThat(q.add(4, buffer(0), 8, false)).isTrue();
        assertThat(q.add(5, buffer(0), 8, false)).isFalse();
        q.publish();

        Chain first = ring.next();
        assertThat(first.buffers()).hasSize(3);
        ring.push(first.head(), 16);
        ring.publish();
        assertThat(q.poll().token()).isEqualTo(1);
        assertThat(q.freeDescriptors()).isEqualTo(3);
        assertThat(q.add(6, new long[] {buffer(0), buffer(64), buffer(128)}, new int[] {8, 8, 8}, 0)).isTrue();
        q.publish();
        assertThat(ring.next().buffers()).hasSize(4);
        assertThat(ring.next().buffers()).hasSize(1);
        assertThat(ring.next().buffers()).extracting(Chain.Buffer::writable).containsExactly(true, true, true);
        assertThat(ring.next()).isNull();
    }

    @Test
    void aChainKeepsItsOrderLengthsAndDirections() throws Exception {
        SoftwareNetDevice device = device(false, 16, true);
        Virtqueue<Integer> q = queue(device, 16, true);
        DeviceRing ring = device.deviceRing(0);
        q.add(7, new long[] {buffer(0), buffer(100), buffer(1000)}, new int[] {16, 20, 1}, 2);
        q.publish();

        Chain c = ring.next();
        assertThat(c.buffers()).extracting(b -> b.memory().byteSize()).containsExactly(16L, 20L, 1L);
        assertThat(c.buffers()).extracting(Chain.Buffer::writable).containsExactly(false, false, true);
        assertThat(c.buffers().get(1).memory().address() - c.buffers().get(0).memory().address()).isEqualTo(100);
        ring.push(c.head(), 1);
        ring.publish();
        Virtqueue.Used<Integer> u = q.poll();
        assertThat(u).isEqualTo(new Virtqueue.Used<>(7, 1, true));
        assertThat(q.hasInFlight()).isFalse();
    }

    @Test
    void eventIndexNotifiesOnlyWhenTheDeviceAskedForIt() throws Exception {
        SoftwareNetDevice device = device(false, 16, true);
        Virtqueue<Integer> q = queue(device, 16, true);
        DeviceRing ring = device.deviceRing(0);

        q.add(1, buffer(0), 8, true);
        assertThat(q.publish()).as("avail_event 0 is crossed by the first chain").isTrue();
        q.add(2, buffer(0), 8, true);
        assertThat(q.publish()).as("the device asked for no more").isFalse();
        assertThat(q.publish()).as("nothing new").isFalse();

        ring.next();
        ring.next();
        assertThat(ring.armNotifications()).isFalse();
        q.add(3, buffer(0), 8, true);
        assertThat(q.publish()).as("the device asked to hear of index 2").isTrue();
    }

    @Test
    void usedEventAsksForOneInterruptUntilTheDriverLooksAgain() throws Exception {
        SoftwareNetDevice device = device(false, 16, true);
        Virtqueue<Integer> q = queue(device, 16, true);
        DeviceRing ring = device.deviceRing(0);
        for (int i = 0; i < 3; i++) q.add(i, buffer(0), 8, true);
        q.publish();
        assertThat(q.enableInterrupts()).isFalse();

        ring.push(ring.next().head(), 0);
        ring.publish();
        assertThat(ring.shouldInterrupt()).isTrue();
        ring.push(ring.next().head(), 0);
        ring.publish();
        assertThat(ring.shouldInterrupt()).as("the driver has not looked since").isFalse();

        assertThat(q.enableInterrupts()).as("two are waiting").isTrue();
        q.poll();
        q.poll();
        assertThat(q.enableInterrupts()).isFalse();
        ring.push(ring.next().head(), 0);
        ring.publish();
        assertThat(ring.shouldInterrupt()).isTrue();
    }

    @Test
    void withoutEventIndexTheAvailableFlagsSuppressInterrupts() throws Exception {
        SoftwareNetDevice device = device(false, 16, false);
        Virtqueue<Integer> q = queue(device, 16, false);
        DeviceRing ring = device.deviceRing(0);
        q.add(1, buffer(0), 8, true);
        q.add(2, buffer(0), 8, true);
        assertThat(q.publish()).isTrue();

        q.disableInterrupts();
        ring.push(ring.next().head(), 0);
        ring.publish();
        assertThat(ring.shouldInterrupt()).isFalse();
        assertThat(q.enableInterrupts()).isTrue();
        q.poll();
        ring.push(ring.next().head(), 0);
        ring.publish();
        assertThat(ring.shouldInterrupt()).isTrue();
    }

    @Test
    void madeUpAndRepeatedIdsAreCountedAndSkipped() throws Exception {
        SoftwareNetDevice device = device(false, 8, false);
        Virtqueue<Integer> q = queue(device, 8, false);
        DeviceRing ring = device.deviceRing(0);
        q.add(1, new long[] {buffer(0), buffer(64)}, new int[] {8, 8}, 1);
        q.add(2, buffer(128), 32, true);
        q.publish();
        Chain one = ring.next();
        Chain two = ring.next();
        ring.push(99, 4); // out of range
        ring.push(one.head() + 1, 4); // inside chain one, not a head
        ring.push(one.head(), 8);
        ring.push(one.head(), 8); // repeated
        ring.push(two.head(), 33); // longer than the buffer
        ring.publish();

        assertThat(q.poll()).isEqualTo(new Virtqueue.Used<>(1, 8, true));
        assertThat(q.poll()).isEqualTo(new Virtqueue.Used<>(2, 0, false));
        assertThat(q.poll()).isNull();
        assertThat(q.deviceErrors()).isEqualTo(4);
        assertThat(q.freeDescriptors()).isEqualTo(8);
        assertThat(q.brokenReason()).isNull();
    }

    @Test
    void aUsedIndexRunningAheadOfTheQueueBreaksIt() throws Exception {
        SoftwareNetDevice device = device(false, 8, false);
        Virtqueue<Integer> q = queue(device, 8, false);
        DeviceRing ring = device.deviceRing(0);
        q.add(1, buffer(0), 8, true);
        q.publish();
        ring.jump(9);

        assertThat(q.poll()).isNull();
        assertThat(q.brokenReason()).contains("used index jumped from 0 to 9").contains("gave up");
        assertThat(q.enableInterrupts()).isFalse();
    }

    @Test
    void aLegacyQueueUsesTheDevicesSizeAndThePageAlignedLayout() throws Exception {
        SoftwareNetDevice device = device(true, 64, false);
        Virtqueue<Integer> q = queue(device, 8, false);
        assertThat(q.size()).isEqualTo(64);
        VirtqueueLayout layout = VirtqueueLayout.of(64, true);
        assertThat(layout.usedOffset()).isEqualTo(4096);
        assertThat(layout.totalBytes()).isEqualTo(8192);

        // The device found the rings from the descriptor table's address alone: a round trip proves the layout.
        DeviceRing ring = device.deviceRing(0);
        q.add(5, buffer(0), 8, true);
        q.publish();
        ring.push(ring.next().head(), 3);
        ring.publish();
        assertThat(q.poll()).isEqualTo(new Virtqueue.Used<>(5, 3, true));
    }

    @Test
    void modernLayoutPacksThePartsWithTheirAlignments() {
        VirtqueueLayout layout = VirtqueueLayout.of(256, false);
        assertThat(layout.availOffset()).isEqualTo(4096);
        assertThat(layout.usedOffset()).isEqualTo(4096 + 6 + 512 + 2); // 4-aligned after the available ring
        assertThat(layout.availEvent()).isEqualTo(layout.usedOffset() + 4 + 8 * 256);
        assertThat(EventIndex.needsEvent(65535, 1, 65534)).isTrue();
        assertThat(EventIndex.needsEvent(1, 1, 0)).isFalse();
    }
}
