package org.mirage4j.tcpip.tcp;

import org.mirage4j.tcpip.wire.SeqNum;

/**
 * Initial sequence numbers per RFC 6528 section 3: {@code ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey)}, where M is a timer ticking every 4 microseconds and F a keyed hash. Successive connections of one
 * four-tuple get increasing numbers (so old duplicates fall outside the new window), while an off-path attacker
 * cannot guess any. The time is passed in. Not thread-safe.
 */
final class IsnGenerator {

    private static final long TICK_NANOS = 4_000;

    private final KeyedHash hash;

    IsnGenerator(KeyedHash hash) {
        this.hash = hash;
    }

    /** The ISN for a connection of {@code tuple} opened at {@code now} (monotonic nanoseconds). */
    SeqNum isn(FourTuple tuple, long now) {
        return new SeqNum(hash.hash(tuple, 0, 0) + (int) (now / TICK_NANOS));
    }
}
