package org.mirage4j.tcpip.dhcp;

import java.util.List;
import java.util.Objects;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.tcpip.wire.DhcpRepr;

/**
 * An IPv4 configuration leased from a DHCP server, with its times (RFC 2131 section 4.4.5). Times are in
 * seconds after {@link #start}, a monotonic time in nanoseconds; {@link #renewAt()}, {@link #rebindAt()} and
 * {@link #expiresAt()} turn them into monotonic times.
 *
 * @param address our address and the link's prefix (from {@code yiaddr} and the subnet mask)
 * @param gateway the first router the server named that is on the link; {@code null} for none
 * @param dnsServers the domain name servers the server named, most preferred first
 * @param server the server's identifier: where renewals go
 * @param leaseSeconds how long the lease lasts; {@link DhcpRepr#INFINITE} for ever
 * @param renewalSeconds T1: when to start renewing, at most {@code rebindingSeconds}
 * @param rebindingSeconds T2: when to start rebinding, at most {@code leaseSeconds}
 * @param start when the request that got the lease was first sent, which the times count from (RFC 2131
 *     section 4.4.1), in monotonic nanoseconds
 */
public record Lease(
        Ipv4Prefix address,
        Ipv4Address gateway,
        List<Ipv4Address> dnsServers,
        Ipv4Address server,
        long leaseSeconds,
        long renewalSeconds,
        long rebindingSeconds,
        long start) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public Lease {
        Objects.requireNonNull(address, "address");
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(server, "server");
        if (leaseSeconds < 0 || leaseSeconds > DhcpRepr.INFINITE || renewalSeconds < 0 || renewalSeconds > rebindingSeconds
                || rebindingSeconds > leaseSeconds) {
            throw new IllegalArgumentException("A lease needs 0 <= T1 <= T2 <= lease time <= " + DhcpRepr.INFINITE
                    + " seconds, not T1=" + renewalSeconds + ", T2=" + rebindingSeconds + ", lease=" + leaseSeconds + ".");
        }
    }

    /**
     * The lease an ACK gives, or {@code null} if it gives none this client can use: no lease time, a
     * {@code yiaddr} no host may have, or no valid subnet mask. Absent T1 and T2, or ones out of order, are
     * 0.5 and 0.875 times the lease time (RFC 2131 section 4.4.5).
     *
     * @param start when the request the ACK answers was first sent, in monotonic nanoseconds
     * @param previous the lease being extended, whose server and mask stand in for ones the ACK leaves out; or
     *     {@code null}
     */
    static Lease of(DhcpRepr ack, long start, Lease previous) {
        long lease = ack.leaseSeconds();
        Ipv4Address mine = ack.yourIp();
        if (lease < 0 || !isHostAddress(mine)) return null;
        Ipv4Address server = ack.serverIdentifier();
        if (server == null && previous != null) server = previous.server();
        if (server == null) return null;
        int length;
        if (ack.subnetMask() != null) {
            length = prefixLength(ack.subnetMask());
        } else if (previous != null && previous.address().address().equals(mine)) {
            length = previous.address().length();
        } else {
            return null;
        }
        if (length < 1) return null;
        Ipv4Prefix prefix = new Ipv4Prefix(mine, length);
        if (length < 31 && (mine.equals(prefix.network()) || mine.equals(prefix.broadcast()))) return null;
        Ipv4Address gateway = null;
        for (Ipv4Address router : ack.routers()) {
            boolean networkOrBroadcast = length < 31 && (router.equals(prefix.network()) || router.equals(prefix.broadcast()));
            if (prefix.contains(router) && !networkOrBroadcast && !router.equals(mine) && isHostAddress(router)) {
                gateway = router;
                break;
            }
        }
        long t2 = ack.rebindingSeconds() >= 0 && ack.rebindingSeconds() <= lease ? ack.rebindingSeconds() : lease * 7 / 8;
        long t1 = ack.renewalSeconds() >= 0 && ack.renewalSeconds() <= t2 ? ack.renewalSeconds() : Math.min(lease / 2, t2);
        return new Lease(prefix, gateway, ack.dnsServers(), server, lease, t1, t2, start);
    }

    /** Whether the lease never ends. */
    public boolean isInfinite() {
        return leaseSeconds == DhcpRepr.INFINITE;
    }

    /** When to start renewing (T1), in monotonic nanoseconds; {@link Long#MAX_VALUE} for an infinite lease. */
    public long renewAt() {
        return after(renewalSeconds);
    }

    /** When to start rebinding (T2), in monotonic nanoseconds; {@link Long#MAX_VALUE} for an infinite lease. */
    public long rebindAt() {
        return after(rebindingSeconds);
    }

    /** When the address stops being ours, in monotonic nanoseconds; {@link Long#MAX_VALUE} for an infinite lease. */
    public long expiresAt() {
        return after(leaseSeconds);
    }

    /** Whether {@code other} configures the stack the same way: same address, prefix and gateway. */
    public boolean sameConfiguration(Lease other) {
        return other != null && address.equals(other.address) && Objects.equals(gateway, other.gateway);
    }

    private long after(long seconds) {
        if (isInfinite()) return Long.MAX_VALUE;
        long delta = seconds * NANOS_PER_SECOND; // seconds < 2^32, so the product fits
        long sum = start + delta;
        return ((start ^ sum) & (delta ^ sum)) < 0 ? Long.MAX_VALUE : sum; // overflowed: saturate instead of wrapping
    }

    /** The length of a contiguous netmask such as 255.255.255.0, or -1 if the mask has holes. */
    static int prefixLength(Ipv4Address mask) {
        int bits = mask.bits();
        int length = Integer.bitCount(bits);
        int contiguous = length == 0 ? 0 : -1 << (32 - length);
        return bits == contiguous ? length : -1;
    }

    /** Whether a host may have {@code address} as its own: not 0.0.0.0, broadcast, multicast or loopback. */
    static boolean isHostAddress(Ipv4Address address) {
        return !address.isUnspecified() && !address.isBroadcast() && !address.isMulticast() && !address.isLoopback()
                && (address.bits() >>> 24) != 0 && (address.bits() >>> 28) != 0xF; // RFC 1122 3.2.1.3: not 0/8 or 240/4
    }
}
