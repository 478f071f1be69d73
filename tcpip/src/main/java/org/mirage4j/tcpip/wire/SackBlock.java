package org.mirage4j.tcpip.wire;

import java.util.Objects;

/**
 * One block of a SACK option (RFC 2018 section 3): the receiver holds the octets from {@code left} up to, not
 * including, {@code right}.
 *
 * @param left the first sequence number of the block
 * @param right the sequence number just after the block's last octet
 */
public record SackBlock(SeqNum left, SeqNum right) {

    /** The length of a block on the wire: two 32-bit sequence numbers. */
    public static final int LENGTH = 8;

    public SackBlock {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
    }

    /** How many octets the block covers, if it is well formed ({@code left} before {@code right}). */
    public int length() {
        return right.minus(left);
    }
}
