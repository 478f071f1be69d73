package org.mirage4j.tcpip.tcp;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.tcpip.wire.SackBlock;
import org.mirage4j.tcpip.wire.SeqNum;

/**
 * The sender's record of what the peer reported holding beyond the cumulative acknowledgment (RFC 6675 section 2,
 * "scoreboard"): sorted, disjoint, merged runs of sequence numbers, all between {@code SND.UNA} and {@code SND.MAX}.
 *
 * <pre>
 *   SND.UNA                                                            SND.MAX
 *   |  hole  |==== SACKed ====|  hole  |== SACKed ==|  (not yet reported)  |
 * </pre>
 *
 * <p>Holds at most {@link #MAX_RUNS} runs; blocks that would need more are ignored, which only makes the sender
 * retransmit more than needed. Not thread-safe.
 */
final class SackScoreboard {

    /** The most runs tracked. */
    static final int MAX_RUNS = 64;
    /** RFC 6675 section 2: DupThresh, the duplicate ACKs or SACKed segments above a hole that make it lost. */
    static final int DUP_THRESH = 3;

    private final List<SackBlock> runs = new ArrayList<>();
    private long sackedBytes;

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** The runs, lowest first; the caller must not change the list. */
    List<SackBlock> runs() {
        return runs;
    }

    /** The octets reported held in total. */
    long sackedBytes() {
        return sackedBytes;
    }

    /** The sequence number after the highest SACKed octet; {@code una} if none. */
    SeqNum highestSacked(SeqNum una) {
        return runs.isEmpty() ? una : runs.getLast().right();
    }

    /**
     * Adds the blocks of one acknowledgment, clipped to {@code (una, max]}; blocks outside (stale, or D-SACK
     * reports below {@code una}) are ignored.
     *
     * @return whether anything new was SACKed
     */
    boolean add(List<SackBlock> blocks, SeqNum una, SeqNum max) {
        boolean grew = false;
        for (SackBlock block : blocks) {
            SeqNum left = block.left().max(una);
            SeqNum right = block.right().min(max);
            if (!left.isBefore(right) || block.left().isAfterOrEqual(block.right())) continue;
            grew |= insert(left, right);
        }
        return grew;
    }

    private boolean insert(SeqNum left, SeqNum right) {
        int first = 0;
        while (first < runs.size() && runs.get(first).right().isBefore(left)) first++;
        int last = first;
        while (last < runs.size() && runs.get(last).left().isBeforeOrEqual(right)) last++;
        if (first == last) {
            if (runs.size() == MAX_RUNS) return false;
            runs.add(first, new SackBlock(left, right));
            sackedBytes += right.minus(left);
            return true;
        }
        SeqNum mergedLeft = left.min(runs.get(first).left());
        SeqNum mergedRight = right.max(runs.get(last - 1).right());
        long before = 0;
        for (int i = first; i < last; i++) before += runs.get(i).length();
        long after = mergedRight.minus(mergedLeft);
        runs.subList(first + 1, last).clear();
        runs.set(first, new SackBlock(mergedLeft, mergedRight));
        sackedBytes += after - before;
        return after > before;
    }

    /** The cumulative acknowledgment moved to {@code una}: forgets what it covers. */
    void ackedTo(SeqNum una) {
        while (!runs.isEmpty()) {
            SackBlock lowest = runs.getFirst();
            if (lowest.right().isBeforeOrEqual(una)) {
                runs.removeFirst();
                sackedBytes -= lowest.length();
            } else {
                if (lowest.left().isBefore(una)) {
                    runs.set(0, new SackBlock(una, lowest.right()));
                    sackedBytes -= una.minus(lowest.left());
                }
                return;
            }
        }
    }

    /** Whether {@code seq} was reported held. */
    boolean isSacked(SeqNum seq) {
        for (SackBlock run : runs) {
            if (seq.isBefore(run.left())) return false;
            if (seq.isBefore(run.right())) return true;
        }
        return false;
    }

    /**
     * The index of the first run starting after {@code seq}, i.e. the runs above an unSACKed {@code seq} are
     * {@code runs().subList(index, size)}.
     */
    int firstRunAbove(SeqNum seq) {
        int i = 0;
        while (i < runs.size() && runs.get(i).left().isBeforeOrEqual(seq)) i++;
        return i;
    }

    /**
     * RFC 6675 section 4, IsLost: whether the unSACKed octet {@code seq} counts as lost, because at least DupThresh
     * runs, or more than (DupThresh - 1) segments of octets, were SACKed above it.
     */
    boolean isLost(SeqNum seq, int smss) {
        int from = firstRunAbove(seq);
        int above = runs.size() - from;
        if (above >= DUP_THRESH) return true;
        long bytes = 0;
        for (int i = from; i < runs.size(); i++) bytes += runs.get(i).length();
        return bytes > (long) (DUP_THRESH - 1) * smss;
    }

    /** Forgets everything, as after a retransmission timeout (RFC 2018 section 8: the receiver may renege). */
    void clear() {
        runs.clear();
        sackedBytes = 0;
    }

    @Override
    public String toString() {
        return runs.toString();
    }
}
