package org.mirage4j.tcpip.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

/** Reassembly as a state machine: fragments and time in, whole datagrams out, within its bounds. */
class ReassemblerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address SOURCE = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address DESTINATION = Ipv4Address.parse("10.0.0.2");

    private final LayerCounters counters = new LayerCounters();
    private final List<ByteBuf> toRelease = new ArrayList<>();

    @AfterEach
    void release() {
        toRelease.forEach(ByteBuf::release);
    }

    private Reassembler reassembler(Reassembler.Limits limits) {
        return new Reassembler(limits, TrackedHeapAllocator.INSTANCE, counters);
    }

    /** Offers the fragment of {@code data} from {@code offset} for {@code length} bytes, as datagram {@code id}. */
    private Reassembler.Complete offer(Reassembler r, int id, byte[] data, int offset, int length, boolean more, long now) {
        Ipv4Repr header = new Ipv4Repr(SOURCE, DESTINATION, IpProtocol.UDP, length, 64, 0, 0, id, false, more, offset);
        ByteBuf packet = TrackedHeapAllocator.INSTANCE.heapBuffer().writeZero(3).writeBytes(data, offset, length);
        try {
            Reassembler.Complete complete = r.add(header, packet, 3, now);
            if (complete != null) toRelease.add(complete.payload());
            return complete;
        } finally {
            packet.release();
        }
    }

    private static byte[] data(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) data[i] = (byte) (i * 7 + 1);
        return data;
    }

    @Test
    void inOrderFragmentsMakeTheDatagram() {
        Reassembler r = reassembler(Reassembler.Limits.DEFAULT);
        byte[] data = data(3000);
        assertThat(offer(r, 1, data, 0, 1480, true, 0)).isNull();
        assertThat(offer(r, 1, data, 1480, 1480, true, 0)).isNull();
        Reassembler.Complete whole = offer(r, 1, data, 2960, 40, false, 0);

        assertThat(whole).isNotNull();
        assertThat(ByteBufUtil.getBytes(whole.payload())).isEqualTo(data);
        assertThat(whole.header()).isEqualTo(new Ipv4Repr(SOURCE, DESTINATION, IpProtocol.UDP, 3000, 64, 0, 0, 1, false, false, 0));
        assertThat(r.inProgress()).isZero();
        assertThat(r.heldBytes()).isZero();
    }

    @Property(tries = 100)
    void fragmentsInAnyOrderWithDuplicatesMakeTheSameDatagram(Gen gen) {
        Reassembler r = reassembler(Reassembler.Limits.DEFAULT);
        byte[] data = gen.bytes(9, 20_000);
        int size = 8 * gen.intBetween(Math.ceilDiv(data.length, 8 * 128), 200); // at most 128 fragments
        List<int[]> fragments = new ArrayList<>();
        for (int offset = 0; offset < data.length; offset += size) fragments.add(new int[] {offset, Math.min(size, data.length - offset)});
        List<int[]> arrivals = new ArrayList<>(fragments);
        for (int i = gen.intBetween(0, 3); i > 0; i--) arrivals.add(gen.oneOf(fragments)); // duplicates
        Collections.shuffle(arrivals, new java.util.Random(gen.longValue()));
        // The datagram is complete when the last distinct fragment arrives; anything after starts a new one.
        Reassembler.Complete whole = null;
        int index = 0;
        for (; index < arrivals.size() && whole == null; index++) {
            int[] f = arrivals.get(index);
            whole = offer(r, 9, data, f[0], f[1], f[0] + f[1] < data.length, 0);
        }
        assertThat(whole).isNotNull();
        assertThat(ByteBufUtil.getBytes(whole.payload())).isEqualTo(data);
        r.close();
    }

    @Test
    void anExactDuplicateIsDroppedAloneButAnOverlapDropsTheDatagram() {
        Reassembler r = reassembler(Reassembler.Limits.DEFAULT);
        byte[] data = data(48);
        offer(r, 1, data, 0, 16, true, 0);
        assertThat(offer(r, 1, data, 0, 16, true, 0)).isNull();
        assertThat(counters.dropped(DropReason.FRAGMENT_DUPLICATE)).isEqualTo(1);
        assertThat(r.inProgress()).isEqualTo(1);

        assertThat(offer(r, 1, data, 8, 16, true, 0)).isNull(); // overlaps 8..16
        assertThat(counters.dropped(DropReason.FRAGMENT_OVERLAP)).isEqualTo(1);
        assertThat(r.inProgress()).isZero();
        assertThat(r.heldBytes()).isZero();

        // What remains of the datagram no longer completes it: it starts over, and the gap stays.
        assertThat(offer(r, 1, data, 16, 32, false, 0)).isNull();
        assertThat(r.inProgress()).isEqualTo(1);
        r.close();
    }

    @Test
    void fragmentsThatCannotBelongToAValidDatagramAreDropped() {
        Reassembler r = reassembler(Reassembler.Limits.DEFAULT);
        byte[] data = data(64);
        offer(r, 1, data, 0, 12, true, 0); // not a multiple of 8 with more to follow
        assertThat(counters.dropped(DropReason.BAD_FRAGMENT)).isEqualTo(1);
        assertThat(r.inProgress()).isZero();

        offer(r, 2, data, 8, 16, true, 0);
        offer(r, 2, data, 24, 8, false, 0); // the end is at 32
        offer(r, 2, data, 40, 8, true, 0); // beyond the end
        assertThat(counters.dropped(DropReason.BAD_FRAGMENT)).isEqualTo(2);
        assertThat(r.inProgress()).isZero();

        offer(r, 3, data, 0, 8, true, 0);
        offer(r, 3, data, 16, 8, false, 0); // the end is at 24
        offer(r, 3, data, 8, 8, false, 0); // a second, different end
        assertThat(counters.dropped(DropReason.BAD_FRAGMENT)).isEqualTo(3);
        assertThat(r.inProgress()).isZero();
        r.close();
    }

    @Test
    void anIncompleteDatagramTimesOutAndItsBytesAreReleased() {
        Reassembler r = reassembler(Reassembler.Limits.DEFAULT);
        byte[] data = data(2000);
        offer(r, 1, data, 0, 1000, true, 5 * SECOND);
        long deadline = 5 * SECOND + Reassembler.Limits.DEFAULT.timeoutNanos();

        assertThat(r.expire(deadline - 1)).isEqualTo(deadline);
        assertThat(r.inProgress()).isEqualTo(1);
        assertThat(r.expire(deadline)).isEqualTo(Long.MAX_VALUE);
        assertThat(r.inProgress()).isZero();
        assertThat(r.heldBytes()).isZero();
        assertThat(counters.dropped(DropReason.REASSEMBLY_TIMEOUT)).isEqualTo(1);
        // The last fragment, late, completes nothing.
        assertThat(offer(r, 1, data, 1000, 1000, false, deadline)).isNull();
        r.close();
    }

    @Test
    void theNumberOfDatagramsInProgressIsBoundedByEvictingTheOldest() {
        Reassembler r = reassembler(new Reassembler.Limits(4, 1 << 20, 128, 30 * SECOND));
        byte[] data = data(16);
        for (int id = 0; id < 10; id++) offer(r, id, data, 0, 8, true, id);
        assertThat(r.inProgress()).isEqualTo(4);
        assertThat(counters.dropped(DropReason.REASSEMBLY_LIMIT)).isEqualTo(6);
        assertThat(offer(r, 9, data, 8, 8, false, 10)).as("the newest survived").isNotNull();
        assertThat(offer(r, 0, data, 8, 8, false, 10)).as("the oldest was evicted").isNull();
        r.close();
    }

    @Test
    void theBytesHeldAreBounded() {
        Reassembler r = reassembler(new Reassembler.Limits(64, 4000, 128, 30 * SECOND));
        byte[] data = data(4000);
        offer(r, 1, data, 0, 1480, true, 0);
        offer(r, 2, data, 0, 1480, true, 1);
        assertThat(r.heldBytes()).isEqualTo(2960);
        offer(r, 3, data, 0, 1480, true, 2); // would hold 4440: the oldest goes
        assertThat(r.heldBytes()).isEqualTo(2960);
        assertThat(r.inProgress()).isEqualTo(2);
        assertThat(counters.dropped(DropReason.REASSEMBLY_LIMIT)).isEqualTo(1);
        r.close();
        assertThat(r.heldBytes()).isZero();
    }

    @Test
    void theFragmentsPerDatagramAreBounded() {
        Reassembler r = reassembler(new Reassembler.Limits(64, 1 << 20, 4, 30 * SECOND));
        byte[] data = data(80);
        for (int offset = 0; offset < 40; offset += 8) offer(r, 1, data, offset, 8, true, 0);
        assertThat(counters.dropped(DropReason.REASSEMBLY_LIMIT)).isEqualTo(1);
        assertThat(r.inProgress()).isZero();
    }
}
