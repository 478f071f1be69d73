package org.mirage4j.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.ArpOperation;
import org.mirage4j.tcpip.wire.ArpRepr;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.InternetChecksum;
import org.mirage4j.tcpip.wire.Ipv4Repr;
import org.mirage4j.tcpip.wire.SeqNum;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * The other end of one TCP connection with a stack on a {@link MemoryLink}: makes the frames a peer would send
 * (ARP, the handshake, data segments, ACKs) and follows what the stack sends back (its sequence numbers, what it
 * acknowledged, its window).
 *
 * <p>Data segments and ACKs come from a template built once: each call copies the template into one reused buffer
 * (a device's receive buffer, in effect) and patches the sequence and acknowledgment numbers and the TCP checksum
 * incrementally (RFC 1624), so making a frame costs a copy and allocates nothing: what a benchmark measures
 * allocating is the stack's. (A fresh pooled buffer per frame would count netty's buffer object and its NIO view,
 * about 180 bytes, which netty's recycler does not save here, against the stack.) The buffer is handed out
 * retained once per frame, so that the stack's release of each frame leaves it to this peer.
 *
 * <p>The peer offers neither window scaling, SACK nor timestamps, so the stack's window is in plain octets.
 * Threads: the frame-making methods on the benchmark's thread; {@link #observe} on whichever thread the stack sends
 * from, hence the volatile fields.
 */
final class TcpPeer {

    static final MacAddress STACK_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final Ipv4Address STACK_IP = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    static final int MSS = 1460;

    private static final int IP = 14;
    private static final int TCP = IP + 20;
    private static final int SEQ = TCP + 4;
    private static final int ACK = TCP + 8;
    private static final int FLAGS = TCP + 13;
    private static final int WINDOW = TCP + 14;
    private static final int CHECKSUM = TCP + 16;
    private static final int WINDOW_SIZE = 65_535;
    /** The sequence number the templates were built with; the checksum is patched from it. */
    private static final int TEMPLATE_SEQ = 1000;

    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final int peerPort;
    private final int stackPort;
    private final ByteBuf dataTemplate;
    private final ByteBuf ackTemplate;
    private final ByteBuf frame;
    private int nextSeq = TEMPLATE_SEQ;

    private volatile int stackSeqNext = -1;  // the stack's SND.NXT as seen on the wire: seq + length (+1 for SYN, FIN)
    private volatile int stackIss = -1;
    private volatile int stackAcked = TEMPLATE_SEQ;  // the highest ACK the stack sent us
    private volatile int stackWindow;
    private volatile long stackSegments;

    TcpPeer(int peerPort, int stackPort) {
        this.peerPort = peerPort;
        this.stackPort = stackPort;
        this.dataTemplate = frame(TcpRepr.of(peerPort, stackPort, new SeqNum(TEMPLATE_SEQ), SeqNum.ZERO, TcpRepr.ACK, WINDOW_SIZE),
                Unpooled.wrappedBuffer(new byte[MSS]));
        this.ackTemplate = frame(TcpRepr.of(peerPort, stackPort, new SeqNum(TEMPLATE_SEQ), SeqNum.ZERO, TcpRepr.ACK, WINDOW_SIZE),
                Unpooled.EMPTY_BUFFER);
        this.frame = allocator.directBuffer(dataTemplate.readableBytes());
    }

    /** An ARP request for the stack's address, which teaches the stack our MAC address. The caller owns the frame. */
    ByteBuf arpRequest() {
        ArpRepr arp = new ArpRepr(ArpOperation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, STACK_IP);
        EthernetRepr ethernet = new EthernetRepr(PEER_MAC, MacAddress.BROADCAST, EtherType.ARP);
        ByteBuf out = Unpooled.buffer(ethernet.bufferLength(arp.bufferLength()));
        ethernet.emit(out);
        arp.emit(out);
        return out;
    }

    /** Our SYN, offering only an MSS. The caller owns the frame. */
    ByteBuf syn() {
        TcpRepr syn = TcpRepr.of(peerPort, stackPort, new SeqNum(nextSeq), SeqNum.ZERO, TcpRepr.SYN, WINDOW_SIZE)
                .withMaxSegmentSize(MSS);
        nextSeq += 1;
        return frame(syn, Unpooled.EMPTY_BUFFER);
    }

    /** The ACK that completes the handshake, once the stack's SYN-ACK was seen. The caller owns the frame. */
    ByteBuf handshakeAck() {
        if (stackIss == -1) throw new IllegalStateException("The stack sent no SYN-ACK.");
        return ack(stackSeqNext);
    }

    /**
     * A full-sized data segment at our next sequence number, acknowledging all the stack sent. The caller owns one
     * reference to it; it is the peer's reused buffer, so it must be handed on (and released) before the next frame
     * is made.
     */
    ByteBuf data() {
        ByteBuf data = patched(dataTemplate, nextSeq, stackSeqNext);
        nextSeq += MSS;
        return data;
    }

    /** A pure ACK of everything up to {@code ack}, with a 65535-octet window; owned as {@link #data()}'s frame. */
    ByteBuf ack(int ack) {
        return patched(ackTemplate, nextSeq, ack);
    }

    /** Releases the templates and the reused frame; the peer makes no frames after this. */
    void close() {
        dataTemplate.release();
        ackTemplate.release();
        frame.release();
    }

    /** Follows a frame the stack sent (borrowed for this call only). */
    void observe(ByteBuf frame) {
        int start = frame.readerIndex();
        if (frame.readableBytes() < CHECKSUM || frame.getUnsignedShort(start + 12) != EtherType.IPV4.value()
                || frame.getUnsignedByte(start + IP + 9) != IpProtocol.TCP.value()) return;
        int ipLength = frame.getUnsignedShort(start + IP + 2);
        int headerLength = (frame.getUnsignedByte(start + TCP + 12) >> 4) * 4;
        int flags = frame.getUnsignedByte(start + FLAGS);
        int seq = frame.getInt(start + SEQ);
        int length = ipLength - 20 - headerLength + ((flags & (TcpRepr.SYN | TcpRepr.FIN)) != 0 ? 1 : 0);
        if ((flags & TcpRepr.SYN) != 0) stackIss = seq;
        int end = seq + length;
        if (stackSeqNext == -1 || end - stackSeqNext > 0) stackSeqNext = end;
        if ((flags & TcpRepr.ACK) != 0) {
            stackAcked = frame.getInt(start + ACK);
            stackWindow = frame.getUnsignedShort(start + WINDOW);
        }
        stackSegments++;
    }

    /** Whether the stack's last advertised window has room for one more full segment from us. */
    boolean windowOpen() {
        return nextSeq + MSS - (stackAcked + stackWindow) <= 0;
    }

    /** The stack's SND.NXT: one past the last octet it sent. */
    int stackSeqNext() {
        return stackSeqNext;
    }

    /** How many TCP segments the stack sent. */
    long stackSegments() {
        return stackSegments;
    }

    /** The reused frame holding {@code template} with {@code seq} and {@code ack} patched in, retained for the caller. */
    private ByteBuf patched(ByteBuf template, int seq, int ack) {
        if (frame.refCnt() != 1) throw new IllegalStateException("The stack kept the previous frame; it must release each.");
        frame.clear();
        frame.writeBytes(template, template.readerIndex(), template.readableBytes());
        int checksum = template.getUnsignedShort(CHECKSUM);
        checksum = InternetChecksum.update(checksum, TEMPLATE_SEQ >>> 16, seq >>> 16);
        checksum = InternetChecksum.update(checksum, TEMPLATE_SEQ & 0xFFFF, seq & 0xFFFF);
        checksum = InternetChecksum.update(checksum, 0, ack >>> 16);
        checksum = InternetChecksum.update(checksum, 0, ack & 0xFFFF);
        frame.setInt(SEQ, seq);
        frame.setInt(ACK, ack);
        frame.setShort(CHECKSUM, checksum);
        return frame.retain();
    }

    private ByteBuf frame(TcpRepr tcp, ByteBuf payload) {
        int tcpLength = tcp.bufferLength(payload.readableBytes());
        Ipv4Repr ip = new Ipv4Repr(PEER_IP, STACK_IP, IpProtocol.TCP, tcpLength, 64, 0, 0, 0, true, false, 0);
        EthernetRepr ethernet = new EthernetRepr(PEER_MAC, STACK_MAC, EtherType.IPV4);
        ByteBuf out = Unpooled.buffer(ethernet.bufferLength(ip.bufferLength()));
        ethernet.emit(out);
        ip.emit(out);
        tcp.emit(out, PEER_IP, STACK_IP, payload);
        return out;
    }
}
