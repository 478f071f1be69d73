package org.mirage4j.block.kv;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.zip.CRC32C;

/** Reads one log record and checks its trailer against the checksum chain. */
final class RecordReader {

    /**
     * A record that passed its checks.
     *
     * @param header its header
     * @param key its key's bytes
     * @param destination a {@code RENAME}'s destination key's bytes, else {@code null}
     * @param crc its trailer: the chain value after it
     */
    record Checked(RecordHeader header, byte[] key, byte[] destination, int crc) {}

    private RecordReader() {}

    /**
     * Reads the record at {@code in}'s position and leaves the position after its trailer (not after its padding).
     * A {@code PUT}'s value goes to {@code value} as it is read: nothing it receives is known to be good until
     * this method returns.
     *
     * @param available the bytes from the record's start to the end of the log: the record (not its padding) must fit
     * @param previousCrc the chain value before the record
     * @param position where the record is, for messages
     * @param value receives a {@code PUT}'s value, or {@code null} to only check it
     * @throws LogCorruptException when the record is impossible or fails its checksum
     */
    static Checked read(DeviceReader in, long available, int previousCrc, long position, DeviceReader.Sink value)
            throws IOException {
        if (available < RecordHeader.LENGTH + RecordHeader.TRAILER) {
            throw new LogCorruptException("the log ends inside the record at log byte " + position);
        }
        byte[] headerBytes = in.readBytes(RecordHeader.LENGTH);
        RecordHeader header = RecordHeader.parse(Unpooled.wrappedBuffer(headerBytes), position);
        if (header.recordLength() > available) {
            throw new LogCorruptException("the record at log byte " + position + " runs past the end of the log");
        }
        CRC32C crc = new CRC32C();
        crc.update(new byte[] {(byte) (previousCrc >>> 24), (byte) (previousCrc >>> 16), (byte) (previousCrc >>> 8), (byte) previousCrc});
        crc.update(headerBytes);
        byte[] key = in.readBytes(header.keyLength());
        crc.update(key);
        byte[] destination = null;
        switch (header.type()) {
            case PUT -> in.read(header.auxLength(), slice -> {
                crc.update(slice.nioBuffer());
                if (value != null) value.accept(slice);
            });
            case RENAME -> {
                destination = in.readBytes((int) header.auxLength());
                crc.update(destination);
            }
            case DELETE -> { }
        }
        byte[] trailer = in.readBytes(RecordHeader.TRAILER);
        int stored = ((trailer[0] & 0xff) << 24) | ((trailer[1] & 0xff) << 16) | ((trailer[2] & 0xff) << 8) | (trailer[3] & 0xff);
        if (stored != (int) crc.getValue()) {
            throw new LogCorruptException("the record at log byte " + position + " fails its checksum");
        }
        return new Checked(header, key, destination, stored);
    }
}
