package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.SeqNum;

class SynCookiesTest {

    private static final long MINUTE = 60_000_000_000L;
    private static final FourTuple TUPLE =
            new FourTuple(Ipv4Address.parse("10.0.0.1"), 80, Ipv4Address.parse("10.0.0.2"), 40_000);

    private final SynCookies cookies = new SynCookies(new KeyedHash(new TestRandom(3)));

    @Test
    void aCookieCarriesItsMssBack() {
        for (int index = 0; index < SynCookies.MSS_TABLE.length; index++) {
            SeqNum cookie = cookies.encode(TUPLE, new SeqNum(1234), index, 10 * MINUTE);
            assertThat(cookies.decode(TUPLE, new SeqNum(1234), cookie, 10 * MINUTE + 1)).isEqualTo(SynCookies.MSS_TABLE[index]);
        }
    }

    @Test
    void aCookieIsBoundToItsTupleAndIsn() {
        SeqNum cookie = cookies.encode(TUPLE, new SeqNum(1234), 5, 0);
        assertThat(cookies.decode(TUPLE, new SeqNum(1235), cookie, 0)).isEqualTo(-1);
        FourTuple other = new FourTuple(TUPLE.localAddress(), 80, TUPLE.remoteAddress(), 40_001);
        assertThat(cookies.decode(other, new SeqNum(1234), cookie, 0)).isEqualTo(-1);
        assertThat(cookies.decode(TUPLE, new SeqNum(1234), cookie.plus(1), 0)).isEqualTo(-1);
        SynCookies otherKey = new SynCookies(new KeyedHash(new TestRandom(4)));
        assertThat(otherKey.decode(TUPLE, new SeqNum(1234), cookie, 0)).as("another secret").isEqualTo(-1);
    }

    @Test
    void aCookieExpiresAfterTwoPeriods() {
        long issued = 100 * MINUTE;
        SeqNum cookie = cookies.encode(TUPLE, new SeqNum(1), 3, issued);
        long period = 64_000_000_000L;
        long start = issued / period * period;
        assertThat(cookies.decode(TUPLE, new SeqNum(1), cookie, start + 2 * period - 1)).isEqualTo(SynCookies.MSS_TABLE[3]);
        assertThat(cookies.decode(TUPLE, new SeqNum(1), cookie, start + 2 * period)).isEqualTo(-1);
    }

    @Test
    void mssIndexPicksTheLargestNotAbove() {
        assertThat(SynCookies.mssIndex(100)).isZero();
        assertThat(SynCookies.mssIndex(1460)).isEqualTo(5);
        assertThat(SynCookies.mssIndex(1459)).isEqualTo(4);
        assertThat(SynCookies.mssIndex(65_535)).isEqualTo(7);
    }
}
