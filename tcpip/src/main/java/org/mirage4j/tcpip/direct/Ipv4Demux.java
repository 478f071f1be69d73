package org.mirage4j.tcpip.direct;

import org.mirage4j.api.net.IpProtocol;

/**
 * Where IPv4 hands each protocol's datagrams; {@code null} drops them as {@link DropReason#NO_LISTENER}.
 */
record Ipv4Demux(Ipv4Input icmp, Ipv4Input tcp, Ipv4Input udp) {

    Ipv4Input of(IpProtocol protocol) {
        return switch (protocol) {
            case ICMP -> icmp;
            case TCP -> tcp;
            case UDP -> udp;
        };
    }
}
