package org.mirage4j.tcpip.wire;

/**
 * A TCP sequence number: 32 bits that wrap around, compared in the space of 2<sup>32</sup> as RFC 9293 section 3.4
 * prescribes. {@code a.isBefore(b)} holds when {@code b} lies less than 2<sup>31</sup> ahead of {@code a}; the
 * order is meaningful only between numbers less than 2<sup>31</sup> apart, which TCP's windows guarantee.
 *
 * <pre>{@code
 * SeqNum una = new SeqNum(0xFFFF_FFF0);
 * SeqNum nxt = una.plus(0x20);          // 0x0000_0010: wrapped
 * nxt.isAfter(una);                     // true
 * nxt.minus(una);                       // 0x20
 * }</pre>
 *
 * @param raw the 32 bits as carried in the header
 */
public record SeqNum(int raw) {

    /** Sequence number zero. */
    public static final SeqNum ZERO = new SeqNum(0);

    /** The sequence number {@code n} octets after this one (before it for negative {@code n}), wrapping around. */
    public SeqNum plus(int n) {
        return n == 0 ? this : new SeqNum(raw + n);
    }

    /**
     * The signed distance from {@code other} to this: the {@code n} for which {@code other.plus(n)} equals this,
     * between -2<sup>31</sup> and 2<sup>31</sup>-1.
     */
    public int minus(SeqNum other) {
        return raw - other.raw;
    }

    /** Whether this comes before {@code other} ({@code this < other} in RFC 9293's notation). */
    public boolean isBefore(SeqNum other) {
        return raw - other.raw < 0;
    }

    /** Whether this comes before {@code other} or equals it ({@code this =< other}). */
    public boolean isBeforeOrEqual(SeqNum other) {
        return raw - other.raw <= 0;
    }

    /** Whether this comes after {@code other} ({@code this > other}). */
    public boolean isAfter(SeqNum other) {
        return raw - other.raw > 0;
    }

    /** Whether this comes after {@code other} or equals it ({@code this >= other}). */
    public boolean isAfterOrEqual(SeqNum other) {
        return raw - other.raw >= 0;
    }

    /**
     * Whether {@code low < this =< high}, the shape of RFC 9293's acceptable-ACK test
     * ({@code SND.UNA < SEG.ACK =< SND.NXT}).
     */
    public boolean isAfterAndAtMost(SeqNum low, SeqNum high) {
        return isAfter(low) && isBeforeOrEqual(high);
    }

    /**
     * Whether this lies in the window of {@code length} octets starting at {@code start}:
     * {@code start =< this < start + length}. Empty for {@code length} 0; {@code length} is taken as unsigned.
     */
    public boolean inWindow(SeqNum start, int length) {
        return Integer.compareUnsigned(raw - start.raw, length) < 0;
    }

    /** The later of this and {@code other}. */
    public SeqNum max(SeqNum other) {
        return isBefore(other) ? other : this;
    }

    /** The earlier of this and {@code other}. */
    public SeqNum min(SeqNum other) {
        return isAfter(other) ? other : this;
    }

    /** The unsigned value, for logs and tests. */
    public long unsigned() {
        return Integer.toUnsignedLong(raw);
    }

    @Override
    public String toString() {
        return Long.toString(unsigned());
    }
}
