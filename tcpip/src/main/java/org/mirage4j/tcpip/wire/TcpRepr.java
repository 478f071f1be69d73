package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.Ipv4Address;

/**
 * What a TCP header means (RFC 9293 section 3.1), with the options this stack understands: maximum segment size,
 * window scale (RFC 7323), SACK-permitted and SACK blocks (RFC 2018), and timestamps (RFC 7323). The data stays
 * in the buffer, reachable through {@link TcpPacket#payload()} on receipt and passed to {@link #emit} on sending.
 *
 * <p>Absent options are {@code 0} ({@link #maxSegmentSize}), {@code -1} ({@link #windowScale}), {@code false},
 * an empty list, and {@code null} ({@link #timestamps}). Options of unknown kinds are skipped by {@link #parse}.
 * {@link #emit} writes the options in the order Linux uses, so that a header is at most as long as Linux's:
 * <pre>
 * MSS | SACK-permitted, Timestamps | NOP, Window scale | NOP, NOP, SACK
 *     | NOP, NOP, Timestamps       |
 *     | NOP, NOP, SACK-permitted   |
 * </pre>
 *
 * @param sourcePort the sender's port, 0 to 65535
 * @param destinationPort the receiver's port, 0 to 65535
 * @param seq the sequence number of the first octet of data (or of the SYN)
 * @param ack the acknowledgment field; meaningful only with {@link #ACK}, but carried as is
 * @param flags the eight flag bits: any of {@link #FIN}, {@link #SYN}, {@link #RST}, {@link #PSH}, {@link #ACK},
 *     {@link #URG}, {@link #ECE}, {@link #CWR}
 * @param window the window field, unscaled, 0 to 65535
 * @param urgentPointer the urgent pointer field, 0 to 65535 (this stack never sets URG)
 * @param maxSegmentSize the MSS option's value, 1 to 65535, or 0 when absent
 * @param windowScale the window scale option's shift, 0 to 255 as on the wire, or -1 when absent
 * @param sackPermitted whether the SACK-permitted option is present
 * @param sackBlocks the SACK option's blocks, empty when absent
 * @param timestamps the timestamps option, or {@code null} when absent
 */
public record TcpRepr(
        int sourcePort,
        int destinationPort,
        SeqNum seq,
        SeqNum ack,
        int flags,
        int window,
        int urgentPointer,
        int maxSegmentSize,
        int windowScale,
        boolean sackPermitted,
        List<SackBlock> sackBlocks,
        TcpOption.Timestamps timestamps) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** Where the checksum field sits in the TCP header, as a device that finishes a partial checksum needs it. */
    public static final int CHECKSUM_OFFSET = 16;
    private static final int CHECKSUM = CHECKSUM_OFFSET;
    private static final int NOP = TcpOption.KIND_NOP;

    public TcpRepr {
        checkRange("sourcePort", sourcePort, 0, 0xFFFF);
        checkRange("destinationPort", destinationPort, 0, 0xFFFF);
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(ack, "ack");
        checkRange("flags", flags, 0, 0xFF);
        checkRange("window", window, 0, 0xFFFF);
        checkRange("urgentPointer", urgentPointer, 0, 0xFFFF);
        checkRange("maxSegmentSize", maxSegmentSize, 0, 0xFFFF);
        checkRange("windowScale", windowScale, -1, 0xFF);
        sackBlocks = List.copyOf(sackBlocks);
        int optionsLength = optionsLength(maxSegmentSize, windowScale, sackPermitted, sackBlocks.size(), timestamps);
        if (optionsLength > TcpPacket.MAX_OPTIONS_LENGTH) {
            throw new IllegalArgumentException("These options need " + optionsLength + " octets, more than the "
                    + TcpPacket.MAX_OPTIONS_LENGTH + " a TCP header has: send fewer SACK blocks.");
        }
    }

    /** A header without options. */
    public static TcpRepr of(int sourcePort, int destinationPort, SeqNum seq, SeqNum ack, int flags, int window) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, 0, 0, -1, false, List.of(), null);
    }

    /** This header with the MSS option set to {@code mss} (0 for none). */
    public TcpRepr withMaxSegmentSize(int mss) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, mss, windowScale,
                sackPermitted, sackBlocks, timestamps);
    }

    /** This header with the window scale option set to {@code shift} (-1 for none). */
    public TcpRepr withWindowScale(int shift) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, maxSegmentSize, shift,
                sackPermitted, sackBlocks, timestamps);
    }

    /** This header with or without the SACK-permitted option. */
    public TcpRepr withSackPermitted(boolean permitted) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, maxSegmentSize,
                windowScale, permitted, sackBlocks, timestamps);
    }

    /** This header with the SACK option carrying {@code blocks} (empty for none). */
    public TcpRepr withSackBlocks(List<SackBlock> blocks) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, maxSegmentSize,
                windowScale, sackPermitted, blocks, timestamps);
    }

    /** This header with the timestamps option {@code ts} ({@code null} for none). */
    public TcpRepr withTimestamps(TcpOption.Timestamps ts) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, maxSegmentSize,
                windowScale, sackPermitted, sackBlocks, ts);
    }

    /** This header with the flags {@code flags} instead of its own. */
    public TcpRepr withFlags(int flags) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, urgentPointer, maxSegmentSize,
                windowScale, sackPermitted, sackBlocks, timestamps);
    }

    /**
     * The meaning of a bound segment sent from {@code source} to {@code destination} (the IPv4 addresses the
     * pseudo-header needs). Rejects a wrong checksum, then an option of a known kind with the wrong length
     * ({@link Malformed#BAD_LENGTH}). Options of unknown kinds are skipped, and only the first of each known kind
     * counts. SACK blocks beyond what fits {@link #emit}'s layout beside the other options are left out. The view
     * checked the header length and the option list's framing.
     */
    public static Parsed<TcpRepr> parse(TcpPacket packet, Ipv4Address source, Ipv4Address destination) {
        return parse(packet, source, destination, false);
    }

    /**
     * {@link #parse(TcpPacket, Ipv4Address, Ipv4Address)}, without verifying the checksum when
     * {@code checksumVouched}: the network device verified it, or the segment comes from the local host with the
     * checksum left partial for a device to finish (virtio-net's {@code DATA_VALID} and {@code NEEDS_CSUM}).
     */
    public static Parsed<TcpRepr> parse(TcpPacket packet, Ipv4Address source, Ipv4Address destination,
            boolean checksumVouched) {
        if (!checksumVouched && !packet.checksumValid(source, destination)) return Parsed.rejected(Malformed.BAD_CHECKSUM);
        TcpRepr repr = decode(packet);
        return repr == null ? Parsed.rejected(Malformed.BAD_LENGTH) : Parsed.ok(repr);
    }

    /**
     * The meaning of a bound segment whose checksum the caller verified (or a device vouched for), as
     * {@link #parse} gives it, or {@code null} where {@code parse} rejects an option of a known kind with the wrong
     * length ({@link Malformed#BAD_LENGTH}). For the receive path: it allocates no {@link Parsed}, and it reads the
     * options where they lie (no {@link TcpOption} list; an object only for a timestamps or SACK option present).
     */
    public static TcpRepr decode(TcpPacket packet) {
        ByteBuf buf = packet.buffer();
        int mss = 0;
        int windowScale = -1;
        boolean sackPermitted = false;
        List<SackBlock> sackBlocks = null;
        TcpOption.Timestamps timestamps = null;
        // The view checked the framing (TcpOption.check): every option but End and NOP has a length of at least 2
        // that stays within the list. Only the first option of each known kind counts.
        int end = packet.optionsIndex() + packet.optionsLength();
        int i = packet.optionsIndex();
        while (i < end) {
            int kind = buf.getUnsignedByte(i);
            if (kind == TcpOption.KIND_END) break;
            if (kind == TcpOption.KIND_NOP) {
                i++;
                continue;
            }
            int length = buf.getUnsignedByte(i + 1);
            switch (kind) {
                case TcpOption.KIND_MSS -> {
                    if (length != 4) return null;
                    if (mss == 0) mss = buf.getUnsignedShort(i + 2);
                }
                case TcpOption.KIND_WINDOW_SCALE -> {
                    if (length != 3) return null;
                    if (windowScale < 0) windowScale = buf.getUnsignedByte(i + 2);
                }
                case TcpOption.KIND_SACK_PERMITTED -> {
                    if (length != 2) return null;
                    sackPermitted = true;
                }
                case TcpOption.KIND_SACK -> {
                    int count = (length - 2) / SackBlock.LENGTH;
                    if (count < 1 || length != 2 + count * SackBlock.LENGTH) return null;
                    if (sackBlocks == null) sackBlocks = sackBlocks(buf, i + 2, count);
                }
                case TcpOption.KIND_TIMESTAMPS -> {
                    if (length != TcpOption.Timestamps.LENGTH) return null;
                    if (timestamps == null) timestamps = new TcpOption.Timestamps(buf.getInt(i + 2), buf.getInt(i + 6));
                }
                default -> {} // an unknown kind: skipped
            }
            i += length;
        }
        if (sackBlocks == null) {
            sackBlocks = List.of();
        } else {
            // A sender may pack options tighter than emit does; keep the blocks that fit emit's layout, the first
            // (most recent, RFC 2018 section 4) first. SACK information is advisory, so this loses no correctness.
            int room = TcpPacket.MAX_OPTIONS_LENGTH - optionsLength(mss, windowScale, sackPermitted, 0, timestamps);
            int fit = room >= 4 + SackBlock.LENGTH ? (room - 4) / SackBlock.LENGTH : 0;
            if (sackBlocks.size() > fit) sackBlocks = sackBlocks.subList(0, fit);
        }
        // An MSS option of zero is kept as 0, the same as absent: no segment size can be zero.
        return new TcpRepr(packet.sourcePort(), packet.destinationPort(), packet.sequenceNumber(),
                packet.acknowledgmentNumber(), packet.flags(), packet.window(), packet.urgentPointer(), mss,
                windowScale, sackPermitted, sackBlocks, timestamps);
    }

    private static List<SackBlock> sackBlocks(ByteBuf buf, int index, int count) {
        SackBlock[] blocks = new SackBlock[count];
        for (int b = 0; b < count; b++) {
            int at = index + b * SackBlock.LENGTH;
            blocks[b] = new SackBlock(new SeqNum(buf.getInt(at)), new SeqNum(buf.getInt(at + 4)));
        }
        return List.of(blocks);
    }

    public boolean fin() {
        return (flags & FIN) != 0;
    }

    public boolean syn() {
        return (flags & SYN) != 0;
    }

    public boolean rst() {
        return (flags & RST) != 0;
    }

    public boolean psh() {
        return (flags & PSH) != 0;
    }

    /** Whether the ACK flag is set, so that {@link #ack} is meaningful. */
    public boolean hasAck() {
        return (flags & ACK) != 0;
    }

    /** The length of the header {@link #emit} writes: 20 octets and the options, padded to a word. */
    public int headerLength() {
        return TcpPacket.HEADER_LENGTH + optionsLength(maxSegmentSize, windowScale, sackPermitted, sackBlocks.size(),
                timestamps);
    }

    /** The length of a segment carrying {@code payloadLength} octets of data. */
    public int bufferLength(int payloadLength) {
        return headerLength() + payloadLength;
    }

    /**
     * The most SACK blocks that fit beside the other options of a header like this one: 4 alone, 3 beside
     * timestamps.
     */
    public static int maxSackBlocks(boolean withTimestamps) {
        return withTimestamps ? 3 : 4;
    }

    /**
     * Writes the segment (header, options and checksum, then the readable bytes of {@code payload}) at the writer
     * index of {@code out}, for sending from {@code source} to {@code destination}. The caller keeps ownership of
     * both buffers; {@code payload}'s indexes do not move.
     *
     * @throws IllegalArgumentException if the segment would not fit in an IPv4 packet
     */
    public void emit(ByteBuf out, Ipv4Address source, Ipv4Address destination, ByteBuf payload) {
        emit(out, source, destination, payload, false);
    }

    /**
     * {@link #emit(ByteBuf, Ipv4Address, Ipv4Address, ByteBuf)}, or, with {@code partialChecksum}, leaves the
     * checksum for the network device to finish: the field holds the folded sum of the pseudo-header only (not
     * complemented), to which the device adds the segment's octets (virtio-net's {@code NEEDS_CSUM}, with the
     * checksum field {@link #CHECKSUM_OFFSET} octets into the header).
     */
    public void emit(ByteBuf out, Ipv4Address source, Ipv4Address destination, ByteBuf payload, boolean partialChecksum) {
        int payloadLength = payload.readableBytes();
        int length = bufferLength(payloadLength);
        if (length > Ipv4Repr.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("A TCP segment with this header carries at most "
                    + (Ipv4Repr.MAX_PAYLOAD_LENGTH - headerLength()) + " octets, not " + payloadLength + ".");
        }
        int start = out.writerIndex();
        out.writeShort(sourcePort);
        out.writeShort(destinationPort);
        out.writeInt(seq.raw());
        out.writeInt(ack.raw());
        out.writeByte((headerLength() / 4) << 4);
        out.writeByte(flags);
        out.writeShort(window);
        out.writeShort(0);
        out.writeShort(urgentPointer);
        writeOptions(out);
        out.ensureWritable(payloadLength);
        BufferCopy.copy(payload, payload.readerIndex(), out, out.writerIndex(), payloadLength); // no slice per segment
        out.writerIndex(out.writerIndex() + payloadLength);
        long sum = InternetChecksum.pseudoHeader(source, destination, IpProtocol.TCP, length);
        if (partialChecksum) {
            out.setShort(start + CHECKSUM, InternetChecksum.fold(sum));
        } else {
            out.setShort(start + CHECKSUM, InternetChecksum.finish(InternetChecksum.add(sum, out, start, length)));
        }
    }

    private void writeOptions(ByteBuf out) {
        if (maxSegmentSize != 0) {
            out.writeByte(TcpOption.KIND_MSS).writeByte(4).writeShort(maxSegmentSize);
        }
        if (timestamps != null) {
            if (sackPermitted) {
                out.writeByte(TcpOption.KIND_SACK_PERMITTED).writeByte(2);
            } else {
                out.writeByte(NOP).writeByte(NOP);
            }
            out.writeByte(TcpOption.KIND_TIMESTAMPS).writeByte(TcpOption.Timestamps.LENGTH);
            out.writeInt(timestamps.value()).writeInt(timestamps.echoReply());
        } else if (sackPermitted) {
            out.writeByte(NOP).writeByte(NOP).writeByte(TcpOption.KIND_SACK_PERMITTED).writeByte(2);
        }
        if (windowScale >= 0) {
            out.writeByte(NOP).writeByte(TcpOption.KIND_WINDOW_SCALE).writeByte(3).writeByte(windowScale);
        }
        if (!sackBlocks.isEmpty()) {
            out.writeByte(NOP).writeByte(NOP).writeByte(TcpOption.KIND_SACK).writeByte(2 + 8 * sackBlocks.size());
            for (SackBlock block : sackBlocks) {
                out.writeInt(block.left().raw()).writeInt(block.right().raw());
            }
        }
    }

    private static int optionsLength(int mss, int windowScale, boolean sackPermitted, int sackBlocks,
            TcpOption.Timestamps timestamps) {
        int length = 0;
        if (mss != 0) length += 4;
        if (timestamps != null) length += 12;
        else if (sackPermitted) length += 4;
        if (windowScale >= 0) length += 4;
        if (sackBlocks > 0) length += 4 + 8 * sackBlocks;
        return length;
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value + ".");
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TCP ").append(sourcePort).append(" > ").append(destinationPort).append(" [");
        if (syn()) s.append('S');
        if (fin()) s.append('F');
        if (rst()) s.append('R');
        if (psh()) s.append('P');
        if (hasAck()) s.append('.');
        if ((flags & URG) != 0) s.append('U');
        if ((flags & ECE) != 0) s.append('E');
        if ((flags & CWR) != 0) s.append('W');
        s.append("] seq ").append(seq);
        if (hasAck()) s.append(" ack ").append(ack);
        s.append(" win ").append(window);
        if (maxSegmentSize != 0) s.append(" mss ").append(maxSegmentSize);
        if (windowScale >= 0) s.append(" wscale ").append(windowScale);
        if (sackPermitted) s.append(" sackOK");
        if (!sackBlocks.isEmpty()) s.append(" sack ").append(sackBlocks);
        if (timestamps != null) {
            s.append(" TS val ").append(Integer.toUnsignedString(timestamps.value()))
                    .append(" ecr ").append(Integer.toUnsignedString(timestamps.echoReply()));
        }
        return s.toString();
    }
}
