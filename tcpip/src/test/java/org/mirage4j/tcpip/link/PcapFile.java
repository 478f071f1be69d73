package org.mirage4j.tcpip.link;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic pcap file read back for the tests, written from the format's description (draft-ietf-opsawg-pcap) rather
 * than from {@link PcapFormat}, so that the two check each other. Either byte order, microsecond or nanosecond
 * timestamps; every length is checked, and bytes after the last record are an error.
 */
record PcapFile(int magic, boolean nanoseconds, int versionMajor, int versionMinor, long snaplen, long linkType,
        List<Record> records) {

    /** One record: its time, the two lengths, and the captured bytes. */
    record Record(Instant time, long includedLength, long originalLength, byte[] bytes) {}

    static PcapFile read(Path path) throws IOException {
        return parse(Files.readAllBytes(path));
    }

    static PcapFile parse(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int magic = in.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                in.order(ByteOrder.BIG_ENDIAN);
                magic = in.getInt(0);
            }
            boolean nanoseconds = switch (magic) {
                case 0xa1b23c4d -> true;
                case 0xa1b2c3d4 -> false;
                default -> throw new AssertionError("not a pcap file: magic 0x" + Integer.toHexString(magic));
            };
            in.position(4);
            int major = Short.toUnsignedInt(in.getShort());
            int minor = Short.toUnsignedInt(in.getShort());
            in.getInt(); // reserved
            in.getInt(); // reserved
            long snaplen = Integer.toUnsignedLong(in.getInt());
            long linkType = Integer.toUnsignedLong(in.getInt());
            List<Record> records = new ArrayList<>();
            while (in.hasRemaining()) {
                long seconds = Integer.toUnsignedLong(in.getInt());
                long fraction = Integer.toUnsignedLong(in.getInt());
                long included = Integer.toUnsignedLong(in.getInt());
                long original = Integer.toUnsignedLong(in.getInt());
                if (fraction >= (nanoseconds ? 1_000_000_000L : 1_000_000L)) {
                    throw new AssertionError("record " + records.size() + ": fraction of a second " + fraction + " too big");
                }
                if (included > snaplen || included > original) {
                    throw new AssertionError("record " + records.size() + ": incl_len " + included + ", orig_len "
                            + original + ", snaplen " + snaplen);
                }
                byte[] bytes = new byte[(int) included];
                in.get(bytes);
                records.add(new Record(Instant.ofEpochSecond(seconds, nanoseconds ? fraction : fraction * 1000),
                        included, original, bytes));
            }
            return new PcapFile(magic, nanoseconds, major, minor, snaplen, linkType, records);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new AssertionError("pcap file truncated", e);
        }
    }
}
