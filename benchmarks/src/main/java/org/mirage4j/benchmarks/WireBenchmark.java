package org.mirage4j.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpPacket;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpPacket;
import org.mirage4j.tcpip.wire.DhcpRepr;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Icmpv4Packet;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Packet;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Octets;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpOption;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;
import org.mirage4j.tcpip.wire.UdpPacket;
import org.mirage4j.tcpip.wire.UdpRepr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse (bind the view, check it, read the representation) and emit (write the header, checksums included) of each
 * wire format, on the headers a busy stack sees most: a TCP data segment's header with timestamps, an ICMP echo of
 * 56 octets, a DHCP ACK with the usual options. Payloads are not part of the work (UDP and TCP checksum them, so a
 * 1460-octet payload's cost is in the TCP benchmarks, not here).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=DISABLED")
public class WireBenchmark {

    private static final MacAddress A_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress B_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address A_IP = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address B_IP = Ipv4Address.parse("10.0.0.2");

    private final EthernetRepr ethernet = new EthernetRepr(A_MAC, B_MAC, EtherType.IPV4);
    private final ArpRepr arp = new ArpRepr(ArpOperation.REQUEST, A_MAC, A_IP, MacAddress.ZERO, B_IP);
    private final Ipv4Repr ipv4 = new Ipv4Repr(A_IP, B_IP, IpProtocol.TCP, 1480, 64, 0, 0, 4711, true, false, 0);
    private final Icmpv4Repr icmp = new Icmpv4Repr.EchoRequest(7, 1, Octets.of(new byte[56]));
    private final UdpRepr udp = new UdpRepr(5353, 53);
    private final TcpRepr tcp = TcpRepr.of(40_000, 80, new SeqNum(123_456), new SeqNum(654_321), TcpRepr.ACK | TcpRepr.PSH, 502)
            .withTimestamps(new TcpOption.Timestamps(1_000_000, 999_000));
    private final DhcpRepr dhcp = DhcpRepr.builder(DhcpMessageType.ACK, 0x1234_5678, A_MAC)
            .yourIp(A_IP).serverIdentifier(B_IP).times(86_400, 43_200, 75_600)
            .subnetMask(Ipv4Address.parse("255.255.255.0")).routers(List.of(B_IP)).dnsServers(List.of(B_IP)).build();

    private final ByteBuf udpPayload = Unpooled.directBuffer(32).writeZero(32);
    private final ByteBuf out = Unpooled.directBuffer(2048);
    private final ByteBuf fullSegment = Unpooled.directBuffer(1480).writeZero(1480);

    private final EthernetFrame ethernetView = new EthernetFrame();
    private final ArpPacket arpView = new ArpPacket();
    private final Ipv4Packet ipv4View = new Ipv4Packet();
    private final Icmpv4Packet icmpView = new Icmpv4Packet();
    private final UdpPacket udpView = new UdpPacket();
    private final TcpPacket tcpView = new TcpPacket();
    private final DhcpPacket dhcpView = new DhcpPacket();

    private ByteBuf ethernetBytes;
    private ByteBuf arpBytes;
    private ByteBuf ipv4Bytes;
    private ByteBuf icmpBytes;
    private ByteBuf udpBytes;
    private ByteBuf tcpBytes;
    private ByteBuf dhcpBytes;

    @Setup
    public void emitOnce() {
        ethernetBytes = bytes(b -> ethernet.emit(b));
        arpBytes = bytes(b -> arp.emit(b));
        ipv4Bytes = bytes(b -> {
            ipv4.emit(b);
            b.writeZero(ipv4.payloadLength());
        });
        icmpBytes = bytes(b -> icmp.emit(b));
        udpBytes = bytes(b -> udp.emit(b, A_IP, B_IP, udpPayload));
        tcpBytes = bytes(b -> tcp.emit(b, A_IP, B_IP, Unpooled.EMPTY_BUFFER));
        dhcpBytes = bytes(b -> dhcp.emit(b));
    }

    private static ByteBuf bytes(Consumer<ByteBuf> emit) {
        ByteBuf b = Unpooled.directBuffer(2048);
        emit.accept(b);
        return b;
    }

    private static <T> T accepted(Parsed<T> parsed) {
        T value = parsed.valueOrNull();
        if (value == null) throw new IllegalStateException("The benchmark's own bytes were rejected: " + parsed.reasonOrNull());
        return value;
    }

    /** The stack's Internet checksum over a full segment (TCP header and 1460 octets), which UDP and TCP pay per packet. */
    @Benchmark
    public int checksumSegment() {
        return InternetChecksum.compute(fullSegment, 0, 1480);
    }

    @Benchmark
    public EthernetRepr ethernetParse() {
        ethernetView.wrap(ethernetBytes);
        return accepted(EthernetRepr.parse(ethernetView));
    }

    @Benchmark
    public ByteBuf ethernetEmit() {
        ethernet.emit(out.clear());
        return out;
    }

    @Benchmark
    public ArpRepr arpParse() {
        arpView.wrap(arpBytes);
        return accepted(ArpRepr.parse(arpView));
    }

    @Benchmark
    public ByteBuf arpEmit() {
        arp.emit(out.clear());
        return out;
    }

    @Benchmark
    public Ipv4Repr ipv4Parse() {
        ipv4View.wrap(ipv4Bytes);
        return accepted(Ipv4Repr.parse(ipv4View));
    }

    @Benchmark
    public ByteBuf ipv4Emit() {
        ipv4.emit(out.clear());
        return out;
    }

    @Benchmark
    public Icmpv4Repr icmpParse() {
        icmpView.wrap(icmpBytes);
        return accepted(Icmpv4Repr.parse(icmpView));
    }

    @Benchmark
    public ByteBuf icmpEmit() {
        icmp.emit(out.clear());
        return out;
    }

    @Benchmark
    public UdpRepr udpParse() {
        udpView.wrap(udpBytes);
        return accepted(UdpRepr.parse(udpView, A_IP, B_IP));
    }

    @Benchmark
    public ByteBuf udpEmit() {
        udp.emit(out.clear(), A_IP, B_IP, udpPayload);
        return out;
    }

    @Benchmark
    public TcpRepr tcpParse() {
        tcpView.wrap(tcpBytes);
        return accepted(TcpRepr.parse(tcpView, A_IP, B_IP));
    }

    @Benchmark
    public ByteBuf tcpEmit() {
        tcp.emit(out.clear(), A_IP, B_IP, Unpooled.EMPTY_BUFFER);
        return out;
    }

    @Benchmark
    public DhcpRepr dhcpParse() {
        dhcpView.wrap(dhcpBytes);
        return accepted(DhcpRepr.parse(dhcpView));
    }

    @Benchmark
    public ByteBuf dhcpEmit() {
        dhcp.emit(out.clear());
        return out;
    }
}
