package org.mirage4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.tcpip.wire.ArpPacket;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.DhcpPacket;
import org.mirage4j.tcpip.wire.DhcpRepr;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Icmpv4Packet;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.Ipv4Packet;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;
import org.mirage4j.tcpip.wire.UdpPacket;
import org.mirage4j.tcpip.wire.UdpRepr;

/**
 * Coverage-guided fuzz tests of every wire parser (issue 9, part 2), one {@link FuzzTest} per format: any input is
 * either rejected by {@code wrap} or bound; once bound no accessor throws; and what {@code parse} accepts, emitted
 * again, parses to the same meaning. Checksums are put right before parsing (the fuzzer would rarely guess them), so
 * that the fuzzer reaches what lies behind them: options, SACK blocks, DHCP options.
 *
 * <p>In a normal build the tests run in regression mode: each runs its seeds and stored crash inputs from
 * {@code src/test/resources/org/mirage4j/reliability/WireFuzzTestInputs/<method>/}. The build's short fuzzing run
 * fuzzes {@link #everyFormat} (see the module's pom), and {@code fuzz.sh} fuzzes each format longer, one JVM each.
 */
class WireFuzzTest {

    private static final Ipv4Address SOURCE = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address DESTINATION = Ipv4Address.parse("10.0.0.2");

    /** The formats in the order {@link #everyFormat} picks them by its first input octet. */
    static final String[] FORMATS = {"ethernet", "arp", "ipv4", "icmp", "udp", "tcp", "dhcp"};

    /**
     * Every parser behind one fuzz test, the first octet picking which (modulo {@link #FORMATS}): what the build's
     * short fuzzing run fuzzes, since Jazzer fuzzes one test per JVM and a JVM per format would cost more in start-up
     * than in fuzzing.
     */
    @FuzzTest
    void everyFormat(byte[] input) {
        if (input.length == 0) return;
        byte[] rest = java.util.Arrays.copyOfRange(input, 1, input.length);
        switch ((input[0] & 0xFF) % FORMATS.length) {
            case 0 -> ethernet(rest);
            case 1 -> arp(rest);
            case 2 -> ipv4(rest);
            case 3 -> icmp(rest);
            case 4 -> udp(rest);
            case 5 -> tcp(rest);
            default -> dhcp(rest);
        }
    }

    @FuzzTest
    void ethernet(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        EthernetFrame view = new EthernetFrame();
        if (view.wrap(buf) != null) return;
        view.destination();
        view.source();
        view.etherType();
        view.payload();
        if (EthernetRepr.parse(view) instanceof Parsed.Ok<EthernetRepr>(EthernetRepr repr)) {
            assertReparses(repr, EthernetRepr::emit, out -> {
                EthernetFrame again = new EthernetFrame();
                assertThat(again.wrap(out)).isNull();
                return EthernetRepr.parse(again);
            });
        }
    }

    @FuzzTest
    void arp(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        ArpPacket view = new ArpPacket();
        if (view.wrap(buf) != null) return;
        view.hardwareType();
        view.protocolType();
        view.hardwareLength();
        view.protocolLength();
        view.operation();
        view.senderMac();
        view.senderIp();
        view.targetMac();
        view.targetIp();
        if (ArpRepr.parse(view) instanceof Parsed.Ok<ArpRepr>(ArpRepr repr)) {
            assertReparses(repr, ArpRepr::emit, out -> {
                ArpPacket again = new ArpPacket();
                assertThat(again.wrap(out)).isNull();
                return ArpRepr.parse(again);
            });
        }
    }

    @FuzzTest
    void ipv4(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        Ipv4Packet view = new Ipv4Packet();
        if (view.wrap(buf) != null) return;
        if (input.length > 0 && (input[input.length - 1] & 1) == 0) {
            buf.setShort(10, 0); // half the inputs get a right header checksum
            buf.setShort(10, InternetChecksum.compute(buf, 0, view.headerLength()));
        }
        view.version();
        view.dscp();
        view.ecn();
        view.totalLength();
        view.identification();
        view.dontFragment();
        view.moreFragments();
        view.fragmentOffset();
        view.ttl();
        view.protocol();
        view.checksum();
        view.checksumValid();
        view.source();
        view.destination();
        view.payload();
        if (Ipv4Repr.parse(view) instanceof Parsed.Ok<Ipv4Repr>(Ipv4Repr repr)) {
            assertReparses(repr, (r, out) -> {
                r.emit(out);
                out.writeZero(r.payloadLength());
            }, out -> {
                Ipv4Packet again = new Ipv4Packet();
                assertThat(again.wrap(out)).isNull();
                return Ipv4Repr.parse(again);
            });
        }
    }

    @FuzzTest
    void icmp(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        Icmpv4Packet view = new Icmpv4Packet();
        if (view.wrap(buf) != null) return;
        buf.setShort(2, 0);
        buf.setShort(2, InternetChecksum.compute(buf, 0, input.length));
        view.type();
        view.code();
        view.checksum();
        view.checksumValid();
        view.restOfHeader();
        view.identifier();
        view.sequenceNumber();
        view.nextHopMtu();
        view.data();
        if (Icmpv4Repr.parse(view) instanceof Parsed.Ok<Icmpv4Repr>(Icmpv4Repr repr)) {
            assertReparses(repr, Icmpv4Repr::emit, out -> {
                Icmpv4Packet again = new Icmpv4Packet();
                assertThat(again.wrap(out)).isNull();
                return Icmpv4Repr.parse(again);
            });
        }
    }

    @FuzzTest
    void udp(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        UdpPacket view = new UdpPacket();
        if (view.wrap(buf) != null) return;
        if (view.checksum() != 0) { // zero means "no checksum" (RFC 768): keep those as they are
            buf.setShort(6, 0);
            long sum = InternetChecksum.pseudoHeader(SOURCE, DESTINATION, IpProtocol.UDP, view.length());
            int checksum = InternetChecksum.finish(InternetChecksum.add(sum, buf, 0, view.length()));
            buf.setShort(6, checksum == 0 ? 0xFFFF : checksum);
        }
        view.sourcePort();
        view.destinationPort();
        view.length();
        view.payload();
        if (UdpRepr.parse(view, SOURCE, DESTINATION) instanceof Parsed.Ok<UdpRepr>(UdpRepr repr)) {
            ByteBuf payload = view.payload();
            assertReparses(repr, (r, out) -> r.emit(out, SOURCE, DESTINATION, payload), out -> {
                UdpPacket again = new UdpPacket();
                assertThat(again.wrap(out)).isNull();
                return UdpRepr.parse(again, SOURCE, DESTINATION);
            });
        }
    }

    @FuzzTest
    void tcp(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        TcpPacket view = new TcpPacket();
        if (view.wrap(buf) != null) return;
        buf.setShort(16, 0);
        long sum = InternetChecksum.pseudoHeader(SOURCE, DESTINATION, IpProtocol.TCP, input.length);
        buf.setShort(16, InternetChecksum.finish(InternetChecksum.add(sum, buf, 0, input.length)));
        view.sourcePort();
        view.destinationPort();
        view.sequenceNumber();
        view.acknowledgmentNumber();
        view.headerLength();
        view.flags();
        view.reserved();
        view.window();
        view.urgentPointer();
        view.options();
        view.payload();
        if (TcpRepr.parse(view, SOURCE, DESTINATION) instanceof Parsed.Ok<TcpRepr>(TcpRepr repr)) {
            ByteBuf payload = view.payload();
            assertReparses(repr, (r, out) -> r.emit(out, SOURCE, DESTINATION, payload), out -> {
                TcpPacket again = new TcpPacket();
                assertThat(again.wrap(out)).isNull();
                return TcpRepr.parse(again, SOURCE, DESTINATION);
            });
        }
    }

    @FuzzTest
    void dhcp(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        DhcpPacket view = new DhcpPacket();
        if (view.wrap(buf) != null) return;
        view.op();
        view.hardwareType();
        view.hardwareLength();
        view.hops();
        view.transactionId();
        view.secs();
        view.flags();
        view.clientIp();
        view.yourIp();
        view.serverIp();
        view.relayAgentIp();
        view.clientMac();
        if (DhcpRepr.parse(view) instanceof Parsed.Ok<DhcpRepr>(DhcpRepr repr)) {
            assertReparses(repr, DhcpRepr::emit, out -> {
                DhcpPacket again = new DhcpPacket();
                assertThat(again.wrap(out)).isNull();
                return DhcpRepr.parse(again);
            });
        }
    }

    /** Whatever was accepted, emitted again, parses to the same meaning. */
    private static <T> void assertReparses(T repr, BiConsumer<T, ByteBuf> emit, Function<ByteBuf, Parsed<T>> parse) {
        ByteBuf out = Unpooled.buffer();
        try {
            emit.accept(repr, out);
            assertThat(parse.apply(out)).isEqualTo(Parsed.ok(repr));
        } finally {
            out.release();
        }
    }
}
