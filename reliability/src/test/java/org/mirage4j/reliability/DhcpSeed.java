package org.mirage4j.reliability;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpRepr;

/** A DHCP ACK with every option the client reads, as the DHCP fuzz test's seed. */
final class DhcpSeed {

    private DhcpSeed() {}

    static byte[] offer() {
        Ipv4Address server = Ipv4Address.parse("10.0.0.1");
        DhcpRepr ack = DhcpRepr.builder(DhcpMessageType.ACK, 0x1234, MacAddress.parse("02:00:00:00:00:02"))
                .yourIp(Ipv4Address.parse("10.0.0.135")).serverIdentifier(server).times(3600, 1800, 3150)
                .subnetMask(Ipv4Address.parse("255.255.255.0")).routers(List.of(server)).dnsServers(List.of(server))
                .message("hello").build();
        ByteBuf out = Unpooled.buffer();
        try {
            ack.emit(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
