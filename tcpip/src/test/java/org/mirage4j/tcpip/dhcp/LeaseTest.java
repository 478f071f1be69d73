package org.mirage4j.tcpip.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpRepr;

/** What a client takes from an ACK: address, prefix, gateway and times, with RFC 2131's defaults. */
class LeaseTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address MINE = Ipv4Address.parse("10.0.0.135");

    private static DhcpRepr.Builder ack(long lease, long t1, long t2) {
        return DhcpRepr.builder(DhcpMessageType.ACK, 7, MacAddress.parse("02:00:00:00:00:02")).yourIp(MINE)
                .serverIdentifier(SERVER).times(lease, t1, t2).subnetMask(Ipv4Address.parse("255.255.255.0"));
    }

    @Test
    void prefixLengthOfAMask() {
        assertThat(Lease.prefixLength(Ipv4Address.parse("255.255.255.0"))).isEqualTo(24);
        assertThat(Lease.prefixLength(Ipv4Address.parse("255.255.255.255"))).isEqualTo(32);
        assertThat(Lease.prefixLength(Ipv4Address.parse("128.0.0.0"))).isEqualTo(1);
        assertThat(Lease.prefixLength(Ipv4Address.ANY)).isZero();
        assertThat(Lease.prefixLength(Ipv4Address.parse("255.0.255.0"))).isEqualTo(-1);
        assertThat(Lease.prefixLength(Ipv4Address.parse("0.0.0.255"))).isEqualTo(-1);
    }

    @Test
    void theGatewayIsTheFirstRouterOnTheLink() {
        List<Ipv4Address> routers = List.of(Ipv4Address.parse("192.168.1.1"), Ipv4Address.parse("10.0.0.0"),
                MINE, Ipv4Address.parse("10.0.0.255"), Ipv4Address.parse("10.0.0.254"), SERVER);
        Lease lease = Lease.of(ack(600, -1, -1).routers(routers).build(), 0, null);
        assertThat(lease.gateway()).isEqualTo(Ipv4Address.parse("10.0.0.254"));
        assertThat(Lease.of(ack(600, -1, -1).routers(List.of(Ipv4Address.parse("192.168.1.1"))).build(), 0, null).gateway()).isNull();
    }

    /** RFC 2131 section 4.4.5: T1 and T2 default to 0.5 and 0.875 of the lease, and keep T1 <= T2 <= lease. */
    @Test
    void timesOutOfOrderFallBackToTheDefaults() {
        Lease given = Lease.of(ack(1000, 100, 200).build(), 0, null);
        assertThat(given.renewalSeconds()).isEqualTo(100);
        assertThat(given.rebindingSeconds()).isEqualTo(200);
        Lease t2TooLate = Lease.of(ack(1000, 100, 2000).build(), 0, null);
        assertThat(t2TooLate.rebindingSeconds()).isEqualTo(875);
        assertThat(t2TooLate.renewalSeconds()).isEqualTo(100);
        Lease t1AfterT2 = Lease.of(ack(1000, 300, 200).build(), 0, null);
        assertThat(t1AfterT2.renewalSeconds()).as("half the lease, but not after T2").isEqualTo(200);
        assertThat(t1AfterT2.rebindingSeconds()).isEqualTo(200);
        Lease odd = Lease.of(ack(7, -1, -1).build(), 0, null);
        assertThat(odd.renewalSeconds()).isEqualTo(3);
        assertThat(odd.rebindingSeconds()).isEqualTo(6);
    }

    @Test
    void aRenewalWithoutMaskOrServerKeepsThePreviousOnes() {
        Lease first = Lease.of(ack(600, -1, -1).build(), 0, null);
        Lease renewed = Lease.of(ack(600, -1, -1).subnetMask(null).serverIdentifier(null).build(), 300 * SECOND, first);
        assertThat(renewed.address()).isEqualTo(new Ipv4Prefix(MINE, 24));
        assertThat(renewed.server()).isEqualTo(SERVER);
        assertThat(renewed.sameConfiguration(first)).isTrue();
        assertThat(renewed.expiresAt()).isEqualTo(900 * SECOND);
        Lease moved = Lease.of(ack(600, -1, -1).yourIp(Ipv4Address.parse("10.0.0.7")).subnetMask(null).build(), 0, first);
        assertThat(moved).as("another address needs its mask").isNull();
    }

    @Test
    void anAddressNoHostMayHaveGivesNoLease() {
        assertThat(Lease.of(ack(600, -1, -1).yourIp(Ipv4Address.parse("10.0.0.0")).build(), 0, null)).isNull();
        assertThat(Lease.of(ack(600, -1, -1).yourIp(Ipv4Address.parse("10.0.0.255")).build(), 0, null)).isNull();
        assertThat(Lease.of(ack(600, -1, -1).yourIp(Ipv4Address.parse("127.0.0.1")).build(), 0, null)).isNull();
        assertThat(Lease.of(ack(600, -1, -1).subnetMask(Ipv4Address.ANY).build(), 0, null)).isNull();
        assertThat(Lease.of(ack(600, -1, -1).yourIp(Ipv4Address.parse("10.0.0.255")).subnetMask(Ipv4Address.parse("255.255.255.254")).build(), 0, null))
                .as("a /31 has no broadcast address").isNotNull();
    }

    @Test
    void timesSaturateRatherThanWrap() {
        Lease late = Lease.of(ack(DhcpRepr.INFINITE - 1, -1, -1).build(), Long.MAX_VALUE - SECOND, null);
        assertThat(late.expiresAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(late.renewAt()).isEqualTo(Long.MAX_VALUE);
        Lease infinite = Lease.of(ack(DhcpRepr.INFINITE, -1, -1).build(), 0, null);
        assertThat(infinite.isInfinite()).isTrue();
        assertThat(infinite.renewAt()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new Lease(new Ipv4Prefix(MINE, 24), null, List.of(), SERVER, 10, 20, 15, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
