package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Writes log records one after another through a {@link DeviceWriter}, keeping the checksum chain (see
 * {@link RecordHeader}). A {@code PUT} is written in three steps so that its value can be streamed from
 * anywhere: {@link #beginPut}, {@link #value} as often as needed, {@link #end()}.
 */
final class LogAppender {

    private final DeviceWriter out;
    private final long halfStartByte;
    private final long generation;
    private final int sectorSize;
    private int chain;
    private final ByteBuf header = Unpooled.buffer(RecordHeader.LENGTH, RecordHeader.LENGTH);

    /** The record being written and its padding, for {@link #end()}. */
    private CRC32C crc;
    private long recordStart;
    private long span;

    /**
     * @param halfStartByte the device offset of the region {@code out} writes, for the locations returned
     * @param sectorSize the sector size, to which the last record of a commit is padded
     * @param chain the chain value after the records already in the region (0 for an empty one)
     */
    LogAppender(DeviceWriter out, long halfStartByte, long generation, int sectorSize, int chain) {
        this.out = out;
        this.sectorSize = sectorSize;
        this.halfStartByte = halfStartByte;
        this.generation = generation;
        this.chain = chain;
    }

    /** The chain value after the last record written. */
    int chain() {
        return chain;
    }

    /**
     * Writes the header and key of a {@code PUT} of {@code valueLength} bytes; the value follows through
     * {@link #value} and the record ends with {@link #end()}.
     *
     * @param last whether this record ends the commit (its span then reaches the next sector boundary)
     * @return where the record is, for the index
     */
    Location beginPut(byte[] key, long modified, int valueLength, boolean last) throws IOException {
        int previous = chain;
        begin(RecordType.PUT, key, modified, valueLength, last);
        return new Location(halfStartByte + recordStart, previous, key.length, valueLength, modified);
    }

    /** Writes part of the value of the {@code PUT} begun; the caller keeps ownership of {@code slice}. */
    void value(ByteBuf slice) throws IOException {
        crc.update(slice.nioBuffer());
        out.write(slice);
    }

    /** Writes a whole {@code DELETE} record. */
    void delete(byte[] key, boolean last) throws IOException {
        begin(RecordType.DELETE, key, 0, 0, last);
        end();
    }

    /** Writes a whole {@code RENAME} record. */
    void rename(byte[] source, byte[] destination, boolean last) throws IOException {
        begin(RecordType.RENAME, source, 0, destination.length, last);
        crc.update(destination);
        out.write(destination);
        end();
    }

    /** Writes the trailer of the record begun, and the padding after it when it ends the commit. */
    void end() throws IOException {
        chain = (int) crc.getValue();
        byte[] trailer = {(byte) (chain >>> 24), (byte) (chain >>> 16), (byte) (chain >>> 8), (byte) chain};
        out.write(trailer);
        long written = out.position() - recordStart;
        out.writeZeros(span - written);
        crc = null;
    }

    private void begin(RecordType type, byte[] key, long modified, long auxLength, boolean last) throws IOException {
        if (crc != null) throw new IllegalStateException("the previous record was not ended");
        recordStart = out.position();
        long length = RecordHeader.recordLength(key.length, auxLength);
        span = last ? roundUpFrom(recordStart, length) : length;
        RecordHeader h = new RecordHeader(type, key.length, span, generation, modified, auxLength);
        header.clear();
        h.emit(header);
        crc = new CRC32C();
        crc.update(new byte[] {(byte) (chain >>> 24), (byte) (chain >>> 16), (byte) (chain >>> 8), (byte) chain});
        crc.update(header.nioBuffer());
        out.write(header);
        crc.update(key);
        out.write(key);
    }

    /** The span that takes a record of {@code length} bytes at {@code start} to the next sector boundary. */
    private long roundUpFrom(long start, long length) {
        long end = start + length;
        return (end + sectorSize - 1) / sectorSize * sectorSize - start;
    }
}
