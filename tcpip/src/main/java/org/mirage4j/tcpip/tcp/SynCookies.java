package org.mirage4j.tcpip.tcp;

import org.mirage4j.tcpip.wire.SeqNum;

/**
 * SYN cookies (RFC 4987 section 3.6): when a listener's backlog is full, the SYN-ACK's sequence number encodes what
 * the connection needs, so that no state is kept until the handshake's final ACK proves the peer's address.
 *
 * <pre>
 *   31      27 26  24 23                                              0
 *  +----------+------+-------------------------------------------------+
 *  | time (5) |MSS(3)| keyed hash of four-tuple, peer's ISN, time, MSS  |
 *  +----------+------+-------------------------------------------------+
 * </pre>
 *
 * <p>The time counts 64-second periods; a cookie is honoured in its period and the next. The MSS is an index into
 * {@link #MSS_TABLE}. Window scaling, SACK and timestamps cannot be encoded, so a SYN-ACK carrying a cookie offers
 * none of them and the connection goes without. Not thread-safe.
 */
final class SynCookies {

    /** The MSS values a cookie can carry; the largest not above the peer's is chosen. */
    static final int[] MSS_TABLE = {536, 1220, 1300, 1380, 1440, 1460, 4312, 8960};

    private static final long PERIOD_NANOS = 64_000_000_000L;

    private final KeyedHash hash;

    SynCookies(KeyedHash hash) {
        this.hash = hash;
    }

    /** The index in {@link #MSS_TABLE} of the largest MSS not above {@code mss}. */
    static int mssIndex(int mss) {
        int index = 0;
        while (index + 1 < MSS_TABLE.length && MSS_TABLE[index + 1] <= mss) index++;
        return index;
    }

    /** The cookie to send as our ISN in answer to a SYN whose sequence number is {@code peerIsn}. */
    SeqNum encode(FourTuple tuple, SeqNum peerIsn, int mssIndex, long now) {
        int period = (int) (now / PERIOD_NANOS);
        return new SeqNum(cookie(tuple, peerIsn, period, mssIndex));
    }

    /**
     * The MSS a valid cookie carries, or -1 if {@code cookie} is not one we issued for this tuple and ISN in the
     * current or the previous period.
     *
     * @param cookie our ISN as the final ACK of the handshake acknowledges it: its acknowledgment number minus one
     * @param peerIsn the peer's ISN: the ACK's sequence number minus one
     */
    int decode(FourTuple tuple, SeqNum peerIsn, SeqNum cookie, long now) {
        int raw = cookie.raw();
        int period = (int) (now / PERIOD_NANOS);
        int mssIndex = (raw >>> 24) & 0x7;
        for (int age = 0; age <= 1; age++) {
            if (cookie(tuple, peerIsn, period - age, mssIndex) == raw) return MSS_TABLE[mssIndex];
        }
        return -1;
    }

    private int cookie(FourTuple tuple, SeqNum peerIsn, int period, int mssIndex) {
        int mac = hash.hash(tuple, peerIsn.raw(), (period << 3) | mssIndex) & 0x00FF_FFFF;
        return ((period & 0x1F) << 27) | (mssIndex << 24) | mac;
    }
}
