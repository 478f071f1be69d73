package org.mirage4j.tcpip.tcp;

/**
 * Which octets beyond the next expected one have arrived out of order: a bounded, sorted set of disjoint runs,
 * as offsets from {@code RCV.NXT} (smoltcp's assembler). The data itself waits in the receive ring at those offsets;
 * this only says where.
 *
 * <pre>
 *   RCV.NXT
 *   |0        |start(0)  end(0)|     |start(1)   end(1)|
 *   |  hole   |=== arrived ====| hole|==== arrived ====|
 * </pre>
 *
 * <p>Runs never touch or overlap: adjacent ones merge. At most {@code maxRuns} are held; data that would need
 * another is refused, so that a peer cannot make us track unbounded bookkeeping. Not thread-safe.
 */
final class Assembler {

    private final int[] starts;
    private final int[] ends;
    private int count;

    Assembler(int maxRuns) {
        this.starts = new int[maxRuns];
        this.ends = new int[maxRuns];
    }

    /** Whether no out-of-order data is held. */
    boolean isEmpty() {
        return count == 0;
    }

    /** How many runs are held. */
    int runs() {
        return count;
    }

    /** The offset of the first octet of run {@code i}, counting from the lowest. */
    int start(int i) {
        return starts[i];
    }

    /** The offset just past the last octet of run {@code i}. */
    int end(int i) {
        return ends[i];
    }

    /** The offset just past the highest octet held, 0 if none. */
    int highestEnd() {
        return count == 0 ? 0 : ends[count - 1];
    }

    /**
     * Records that the octets {@code [start, end)} arrived ({@code 0 < start < end}). Merges with the runs they touch.
     *
     * @return false, changing nothing, if they would need a run beyond the bound
     */
    boolean add(int start, int end) {
        if (start >= end) return true;
        // The first run that ends at or after start (it may touch or overlap), and the first that starts after end.
        int first = 0;
        while (first < count && ends[first] < start) first++;
        int last = first;
        while (last < count && starts[last] <= end) last++;
        if (first == last) {
            // Touches nothing: insert a run at first.
            if (count == starts.length) return false;
            System.arraycopy(starts, first, starts, first + 1, count - first);
            System.arraycopy(ends, first, ends, first + 1, count - first);
            starts[first] = start;
            ends[first] = end;
            count++;
            return true;
        }
        // Runs first to last - 1 merge into one.
        int mergedStart = Math.min(start, starts[first]);
        int mergedEnd = Math.max(end, ends[last - 1]);
        starts[first] = mergedStart;
        ends[first] = mergedEnd;
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(starts, last, starts, first + 1, count - last);
            System.arraycopy(ends, last, ends, first + 1, count - last);
            count -= removed;
        }
        return true;
    }

    /**
     * In-order data of {@code n} octets arrived at offset 0, so {@code RCV.NXT} moves: absorbs the runs it reaches
     * and renumbers the rest from the new {@code RCV.NXT}.
     *
     * @return how far {@code RCV.NXT} moves: {@code n} plus the held octets that became contiguous
     */
    int advance(int n) {
        int reach = n;
        int absorbed = 0;
        while (absorbed < count && starts[absorbed] <= reach) {
            reach = Math.max(reach, ends[absorbed]);
            absorbed++;
        }
        int kept = count - absorbed;
        for (int i = 0; i < kept; i++) {
            starts[i] = starts[i + absorbed] - reach;
            ends[i] = ends[i + absorbed] - reach;
        }
        count = kept;
        return reach;
    }

    /** Forgets everything held. */
    void clear() {
        count = 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) s.append(", ");
            s.append(starts[i]).append("..").append(ends[i]);
        }
        return s.append(']').toString();
    }
}
