package org.mirage4j.tcpip.direct;

import org.mirage4j.api.net.IpProtocol;

/**
 * Where IPv4 hands each protocol's datagrams; {@code null} drops them as {@link DropReason#NO_LISTENER}.
 *
 * @param tcpVouched where TCP datagrams go whose checksum the device vouched for (see
 *     {@link DirectIpv4#input(io.netty.buffer.ByteBuf, Ipv4Demux, boolean, long)}); {@code tcp} if {@code null}
 */
record Ipv4Demux(Ipv4Input icmp, Ipv4Input tcp, Ipv4Input udp, Ipv4Input tcpVouched) {

    Ipv4Demux(Ipv4Input icmp, Ipv4Input tcp, Ipv4Input udp) {
        this(icmp, tcp, udp, null);
    }

    Ipv4Input of(IpProtocol protocol) {
        return of(protocol, false);
    }

    /** Where a datagram of {@code protocol} goes; {@code checksumVouched} when the device vouched for its checksum. */
    Ipv4Input of(IpProtocol protocol, boolean checksumVouched) {
        return switch (protocol) {
            case ICMP -> icmp;
            case TCP -> checksumVouched && tcpVouched != null ? tcpVouched : tcp;
            case UDP -> udp;
        };
    }
}
