package org.mirage4j.tcpip.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One TCP option as it appears in a header (RFC 9293 section 3.2), decoded by {@link TcpPacket#options()}.
 *
 * <pre>
 * kind 0: End of Option List           +--------+
 *                                      |00000000|
 * kind 1: No-Operation                 +--------+
 *                                      |00000001|
 * any other kind:                      +--------+--------+------ - -
 *                                      |  kind  | length |  data
 *                                      +--------+--------+------ - -
 * </pre>
 *
 * <p>Length counts kind and length octets too, so it is at least 2. The known kinds: Maximum Segment Size (2,
 * length 4, RFC 9293 section 3.7.1), Window Scale (3, length 3, RFC 7323 section 2), SACK-Permitted (4, length 2,
 * RFC 2018), SACK (5, length 2 + 8n, RFC 2018) and Timestamps (8, length 10, RFC 7323 section 3). An option of a
 * known kind whose length is not the kind's is decoded as {@link Unknown}, for {@link TcpRepr#parse} to reject;
 * an option of an unknown kind is {@link Unknown} too, and skipped.
 */
public sealed interface TcpOption {

    int KIND_END = 0;
    int KIND_NOP = 1;
    int KIND_MSS = 2;
    int KIND_WINDOW_SCALE = 3;
    int KIND_SACK_PERMITTED = 4;
    int KIND_SACK = 5;
    int KIND_TIMESTAMPS = 8;

    /** The largest shift a window scale option may ask for (RFC 7323 section 2.3). */
    int MAX_WINDOW_SCALE = 14;

    /** The option's kind octet. */
    int kind();

    /** The end of the option list; what follows it up to the data is padding. */
    record End() implements TcpOption {
        @Override
        public int kind() {
            return KIND_END;
        }
    }

    /** A one-octet filler, used to align the next option on a word. */
    record NoOperation() implements TcpOption {
        @Override
        public int kind() {
            return KIND_NOP;
        }
    }

    /**
     * The largest segment the sender wants to receive, in octets of data (RFC 9293 section 3.7.1); only on a SYN.
     *
     * @param value 0 to 65535
     */
    record MaxSegmentSize(int value) implements TcpOption {
        public MaxSegmentSize {
            if (value < 0 || value > 0xFFFF) throw new IllegalArgumentException("An MSS is 0 to 65535, not " + value + ".");
        }

        @Override
        public int kind() {
            return KIND_MSS;
        }
    }

    /**
     * The sender's window scale shift (RFC 7323 section 2); only on a SYN. A shift above 14 is carried as is here;
     * {@link TcpRepr#parse} keeps it and the connection treats it as 14 (RFC 7323 section 2.3).
     *
     * @param shift 0 to 255 as on the wire
     */
    record WindowScale(int shift) implements TcpOption {
        public WindowScale {
            if (shift < 0 || shift > 0xFF) throw new IllegalArgumentException("A window scale is 0 to 255, not " + shift + ".");
        }

        @Override
        public int kind() {
            return KIND_WINDOW_SCALE;
        }
    }

    /** The sender can receive SACK options (RFC 2018 section 2); only on a SYN. */
    record SackPermitted() implements TcpOption {
        @Override
        public int kind() {
            return KIND_SACK_PERMITTED;
        }
    }

    /**
     * Blocks of data the receiver holds beyond the cumulative acknowledgement (RFC 2018 section 3).
     *
     * @param blocks one to four blocks, as many as fit in the option space
     */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public Sack {
            blocks = List.copyOf(blocks);
        }

        @Override
        public int kind() {
            return KIND_SACK;
        }
    }

    /**
     * The timestamps option (RFC 7323 section 3): the sender's clock and the most recent timestamp it received.
     *
     * @param value TSval, the sender's timestamp clock, as unsigned 32 bits
     * @param echoReply TSecr, the TSval echoed back, as unsigned 32 bits
     */
    record Timestamps(int value, int echoReply) implements TcpOption {
        /** The length of the option on the wire. */
        public static final int LENGTH = 10;

        @Override
        public int kind() {
            return KIND_TIMESTAMPS;
        }
    }

    /**
     * An option this stack does not know, or a known kind with the wrong length.
     *
     * @param kind the kind octet
     * @param data the octets after kind and length
     */
    record Unknown(int kind, Octets data) implements TcpOption {
        public Unknown {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Checks the option list in {@code length} octets at {@code index} of {@code buf}: every option other than
     * End and No-Operation has a length of at least 2 ({@link Malformed#BAD_LENGTH} otherwise) that stays within the
     * list ({@link Malformed#TRUNCATED} otherwise). Stops at an End option. Null if the list is well formed.
     */
    static Malformed check(ByteBuf buf, int index, int length) {
        int end = index + length;
        int i = index;
        while (i < end) {
            int kind = buf.getUnsignedByte(i);
            if (kind == KIND_END) return null;
            if (kind == KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) return Malformed.TRUNCATED;
            int optionLength = buf.getUnsignedByte(i + 1);
            if (optionLength < 2) return Malformed.BAD_LENGTH;
            if (i + optionLength > end) return Malformed.TRUNCATED;
            i += optionLength;
        }
        return null;
    }

    /**
     * Decodes the option list in {@code length} octets at {@code index} of {@code buf}, which {@link #check} has
     * accepted; stops after an End option. The caller keeps ownership of {@code buf}.
     */
    static List<TcpOption> decode(ByteBuf buf, int index, int length) {
        List<TcpOption> options = new ArrayList<>(4);
        int end = index + length;
        int i = index;
        while (i < end) {
            int kind = buf.getUnsignedByte(i);
            if (kind == KIND_END) {
                options.add(new End());
                break;
            }
            if (kind == KIND_NOP) {
                options.add(new NoOperation());
                i++;
                continue;
            }
            int optionLength = buf.getUnsignedByte(i + 1);
            options.add(decodeOne(buf, i, kind, optionLength));
            i += optionLength;
        }
        return options;
    }

    private static TcpOption decodeOne(ByteBuf buf, int i, int kind, int length) {
        switch (kind) {
            case KIND_MSS -> {
                if (length == 4) return new MaxSegmentSize(buf.getUnsignedShort(i + 2));
            }
            case KIND_WINDOW_SCALE -> {
                if (length == 3) return new WindowScale(buf.getUnsignedByte(i + 2));
            }
            case KIND_SACK_PERMITTED -> {
                if (length == 2) return new SackPermitted();
            }
            case KIND_SACK -> {
                int count = (length - 2) / SackBlock.LENGTH;
                if (count >= 1 && length == 2 + count * SackBlock.LENGTH) {
                    List<SackBlock> blocks = new ArrayList<>(count);
                    for (int b = 0; b < count; b++) {
                        int at = i + 2 + b * SackBlock.LENGTH;
                        blocks.add(new SackBlock(new SeqNum(buf.getInt(at)), new SeqNum(buf.getInt(at + 4))));
                    }
                    return new Sack(blocks);
                }
            }
            case KIND_TIMESTAMPS -> {
                if (length == Timestamps.LENGTH) return new Timestamps(buf.getInt(i + 2), buf.getInt(i + 6));
            }
            default -> {}
        }
        return new Unknown(kind, Octets.copyOf(buf, i + 2, length - 2));
    }
}
