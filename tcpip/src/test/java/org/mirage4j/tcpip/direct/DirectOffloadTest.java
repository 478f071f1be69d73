package org.mirage4j.tcpip.direct;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_IP;
import static org.mirage4j.tcpip.direct.StackFixture.OUR_MAC;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_IP;
import static org.mirage4j.tcpip.direct.StackFixture.PEER_MAC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.tcpip.tcp.TcpCounter;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.TcpRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * The direct stack over a device with checksum and segmentation offloads ({@link OffloadLink}): TCP's large segments
 * go out as one frame above the MTU for the device to cut, with their checksum left partial and the request in the
 * frame's virtio-net header; received frames skip TCP's checksum only when the device vouched for them.
 */
class DirectOffloadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] MSS_1460 = {2, 4, 0x05, (byte) 0xB4};
    private static final int IP = VirtioNetHeader.LENGTH + 14; // where the IPv4 header starts in a sent frame
    private static final int TCP = IP + 20;

    private OffloadLink link;
    private DirectStack stack;

    @BeforeEach
    void connect() throws Exception {
        link = new OffloadLink(OUR_MAC);
        stack = new DirectStack(link, new FakeClock(), new SeededRandom(7), new StaticIpv4Source(StackFixture.PREFIX, ""),
                TrackedHeapAllocator.INSTANCE, ArpTable.Limits.DEFAULT, Reassembler.Limits.DEFAULT,
                DirectUdp.QUEUE_CAPACITY, false);
        stack.connect();
        link.next(WAIT); // the gratuitous ARP
        // The peer asks for our address, as Linux does before it sends: now the stack knows the peer's MAC address.
        receive(0, Frames.ethernet(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP,
                Frames.arp(new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, OUR_IP))));
        link.next(WAIT); // the ARP reply
    }

    @AfterEach
    void disconnect() {
        stack.disconnect();
    }

    @Test
    void aLargeTcpSegmentGoesOutAsOneFrameForTheDeviceToCut() throws Exception {
        byte[] data = new byte[20_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        stack.tcp().listen(80, flow -> {
            flow.write(Unpooled.wrappedBuffer(data));
            for (ByteBuf in; (in = flow.read()) != null; ) in.release();
        });
        TcpRepr synAck = handshake(80);

        byte[] frame = link.next(WAIT);
        // Two segments of the peer's MSS in one frame, above the MTU: a quarter of the initial congestion window of
        // 10 MSS (RFC 6928), in whole segments.
        int payload = 2 * 1460;
        assertThat(frame.length).isEqualTo(TCP + 20 + payload).isGreaterThan(VirtioNetHeader.LENGTH + 1514);
        ByteBuf buf = Unpooled.wrappedBuffer(frame).readerIndex(VirtioNetHeader.LENGTH);
        assertThat(VirtioNetHeader.flags(buf)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoType(buf)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(VirtioNetHeader.gsoSize(buf)).isEqualTo(1460);
        assertThat(VirtioNetHeader.checksumStart(buf)).isEqualTo(14 + 20);
        assertThat(VirtioNetHeader.checksumOffset(buf)).isEqualTo(TcpRepr.CHECKSUM_OFFSET);
        assertThat(buf.getUnsignedShortLE(2)).as("hdr_len").isEqualTo(14 + 20 + 20);
        // IPv4: the whole length, DF set (the device cuts TCP, never IP), a correct header checksum.
        assertThat(buf.getUnsignedShort(IP + 2)).isEqualTo(20 + 20 + payload);
        assertThat(buf.getUnsignedByte(IP + 6) & 0x40).as("DF").isNotZero();
        assertThat(InternetChecksum.compute(buf, IP, 20)).isZero();
        // TCP: the checksum field holds the pseudo-header's folded sum, for the device to add the segment to.
        long pseudo = InternetChecksum.pseudoHeader(OUR_IP, PEER_IP, IpProtocol.TCP, 20 + payload);
        assertThat(buf.getUnsignedShort(TCP + 16)).isEqualTo(InternetChecksum.fold(pseudo));

        // Finished as the device would, it is a correct segment that carries the first 2920 octets.
        TcpSegments.Sent segment = finishAndRead(frame);
        assertThat(segment.header().seq()).isEqualTo(synAck.seq().plus(1));
        assertThat(segment.header().fin()).isFalse();
        assertThat(segment.data()).isEqualTo(Arrays.copyOf(data, payload));
    }

    @Test
    void aCorruptSegmentIsDroppedWhenTheDeviceDidNotVouchForIt() throws Exception {
        stack.tcp().listen(80, flow -> {});
        byte[] syn = TcpSegments.frame(40_000, 80, 1000, 0, TcpRepr.SYN, 65_535, 0, MSS_1460, new byte[0]);
        syn[14 + 20 + 17] ^= 0x01; // one bit of the checksum

        receive(0, syn);
        assertThat(stack.tcpStats().get(TcpCounter.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(link.next(Duration.ofMillis(200), false)).isNull();

        // The same bytes from a device that verified them: it vouches, so they are not checked again.
        receive(VirtioNetHeader.F_DATA_VALID, syn);
        assertThat(stack.tcpStats().get(TcpCounter.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(finishAndRead(link.next(WAIT)).header().flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
    }

    @Test
    void aSegmentWithAPartialChecksumFromTheLocalHostIsAccepted() throws Exception {
        stack.tcp().listen(80, flow -> {});
        byte[] syn = TcpSegments.frame(40_000, 80, 1000, 0, TcpRepr.SYN, 65_535, 0, MSS_1460, new byte[0]);
        setPartialChecksum(syn, IpProtocol.TCP, 16);

        stack.receive(OffloadLink.partialFrame(syn, 14 + 20, 16));
        assertThat(finishAndRead(link.next(WAIT)).header().flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        assertThat(stack.tcpStats().get(TcpCounter.BAD_CHECKSUM)).isZero();
    }

    @Test
    void aUdpDatagramWithAPartialChecksumIsFinishedAndDelivered() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        stack.udp().listen(5353, datagram -> {
            got.add(datagram.payload().toString(US_ASCII));
            datagram.payload().release();
        });
        byte[] udp = Frames.udp(PEER_IP, OUR_IP, 4000, 5353, "partial".getBytes(US_ASCII));
        byte[] frame = Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, 9), udp);
        setPartialChecksum(frame, IpProtocol.UDP, 6);

        stack.receive(OffloadLink.partialFrame(frame, 14 + 20, 6));
        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("partial");
        assertThat(stack.stats().udp().dropped(DropReason.BAD_CHECKSUM)).isZero();
    }

    @Test
    void aPartialChecksumPointingOutsideTheFrameIsDropped() {
        byte[] udp = Frames.udp(PEER_IP, OUR_IP, 4000, 5353, "x".getBytes(US_ASCII));
        byte[] frame = Frames.ipv4Frame(PEER_MAC, OUR_MAC, Frames.header(PEER_IP, OUR_IP, IpProtocol.UDP, udp.length, 9), udp);

        stack.receive(OffloadLink.partialFrame(frame, 14 + 20, 600));
        assertThat(stack.stats().stack().dropped(DropReason.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void aSegmentThatWaitedForArpStillAsksTheDeviceToFinishItsChecksum() throws Exception {
        Ipv4Address stranger = Ipv4Address.parse("10.0.0.3");
        MacAddress strangerMac = MacAddress.parse("02:00:00:00:00:03");
        Thread.ofVirtual().start(() -> {
            try {
                stack.tcp().connect(stranger, 80);
            } catch (Exception e) {
                // the test ends the stack before the handshake completes
            }
        });
        // The SYN waits in ARP's queue (written into a buffer of its own, not the device's) until the answer comes.
        byte[] request = link.next(WAIT);
        assertThat(Frames.read(Unpooled.wrappedBuffer(request).readerIndex(VirtioNetHeader.LENGTH)).arp().operation())
                .isEqualTo(ArpOperation.REQUEST);
        receive(0, Frames.ethernet(strangerMac, OUR_MAC, EtherType.ARP,
                Frames.arp(new ArpRepr(ArpOperation.REPLY, strangerMac, stranger, OUR_MAC, OUR_IP))));

        byte[] syn = link.next(WAIT);
        ByteBuf buf = Unpooled.wrappedBuffer(syn).readerIndex(VirtioNetHeader.LENGTH);
        assertThat(VirtioNetHeader.flags(buf)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoType(buf)).isEqualTo(VirtioNetHeader.GSO_NONE);
        assertThat(VirtioNetHeader.checksumStart(buf)).isEqualTo(14 + 20);
        assertThat(VirtioNetHeader.checksumOffset(buf)).isEqualTo(TcpRepr.CHECKSUM_OFFSET);
        assertThat(ReceivedChecksum.finish(buf)).isTrue();
        Frames.Sent sent = Frames.read(buf);
        assertThat(sent.ipv4().destination()).isEqualTo(stranger);
        ByteBuf segment = Unpooled.wrappedBuffer(sent.ipv4Payload());
        long sum = InternetChecksum.pseudoHeader(OUR_IP, stranger, IpProtocol.TCP, segment.readableBytes());
        assertThat(InternetChecksum.finish(InternetChecksum.add(sum, segment, 0, segment.readableBytes())))
                .as("the finished checksum verifies").isZero();
        assertThat(segment.getUnsignedByte(13) & TcpRepr.SYN).isNotZero();
    }

    /** The peer opens a connection to {@code port} (MSS 1460, window 65535, no other option); returns the SYN-ACK. */
    private TcpRepr handshake(int port) throws Exception {
        receive(0, TcpSegments.frame(40_000, port, 1000, 0, TcpRepr.SYN, 65_535, 0, MSS_1460, new byte[0]));
        TcpRepr synAck = finishAndRead(link.next(WAIT)).header();
        assertThat(synAck.flags()).isEqualTo(TcpRepr.SYN | TcpRepr.ACK);
        receive(0, TcpSegments.frame(40_000, port, 1001, synAck.seq().plus(1).raw(), TcpRepr.ACK, new byte[0]));
        return synAck;
    }

    /** Hands {@code frame} to the stack behind a header with {@code flags}, as the device's receive loop would. */
    private void receive(int flags, byte[] frame) {
        stack.receive(OffloadLink.frame(flags, frame));
    }

    /** Does what the device does with a partial checksum (the kernel's skb_checksum_help), then reads the segment. */
    private static TcpSegments.Sent finishAndRead(byte[] frameWithHeader) {
        ByteBuf buf = Unpooled.wrappedBuffer(frameWithHeader).readerIndex(VirtioNetHeader.LENGTH);
        if ((VirtioNetHeader.flags(buf) & VirtioNetHeader.F_NEEDS_CSUM) != 0) assertThat(ReceivedChecksum.finish(buf)).isTrue();
        return TcpSegments.read(Frames.read(buf));
    }

    /** Replaces the checksum of the IPv4 payload in {@code frame} by the pseudo-header's folded sum, as Linux leaves it. */
    private static void setPartialChecksum(byte[] frame, IpProtocol protocol, int offset) {
        int length = frame.length - 14 - 20;
        int sum = InternetChecksum.fold(InternetChecksum.pseudoHeader(PEER_IP, OUR_IP, protocol, length));
        frame[14 + 20 + offset] = (byte) (sum >> 8);
        frame[14 + 20 + offset + 1] = (byte) sum;
    }
}
