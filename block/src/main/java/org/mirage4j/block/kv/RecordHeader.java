package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;

/**
 * The fixed part of a log record. A record is this header, the key, the auxiliary bytes (the value of a
 * {@code PUT}, the destination key of a {@code RENAME}, nothing for a {@code DELETE}), and a CRC-32C trailer:
 *
 * <pre>
 *  offset     size  field
 *       0        1  type: 1 PUT, 2 DELETE, 3 RENAME
 *       1        1  zero
 *       2        2  key length K
 *       4        4  span
 *       8        8  generation
 *      16        8  modified, milliseconds since the epoch (PUT; else 0)
 *      24        4  aux length A
 *      28        K  key, the UTF-8 of "/a/b"
 *    28+K        A  aux: the value (PUT) or the destination key (RENAME)
 *  28+K+A        4  trailer: CRC-32C chain value
 * </pre>
 *
 * The trailer is the CRC-32C of the previous record's trailer (4 bytes, big-endian; zero for the first record
 * of a half) followed by every byte of this record before the trailer: a chain, so that a record is valid only
 * after the records it was written after. {@code span} is the distance to the next record: the record's length,
 * plus the zero padding to the next sector boundary after the last record of a commit. All integers are
 * big-endian.
 *
 * @param type what the record does
 * @param keyLength bytes of the key
 * @param span bytes from this record's first byte to the next record's
 * @param generation the generation of the half the record was written in
 * @param modified when a {@code PUT} was made, in milliseconds since the epoch; 0 otherwise
 * @param auxLength bytes after the key: the value, or the destination key
 */
record RecordHeader(RecordType type, int keyLength, long span, long generation, long modified, long auxLength) {

    static final int LENGTH = 28;
    static final int TRAILER = 4;
    /** The longest key a record may carry, in bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 4096;

    /** The record's length without padding: header, key, aux and trailer. */
    long recordLength() {
        return recordLength(keyLength, auxLength);
    }

    static long recordLength(int keyLength, long auxLength) {
        return LENGTH + keyLength + auxLength + TRAILER;
    }

    /** Writes the header at {@code out}'s writer index. */
    void emit(ByteBuf out) {
        out.writeByte(type.code);
        out.writeByte(0);
        out.writeShort(keyLength);
        out.writeInt((int) span);
        out.writeLong(generation);
        out.writeLong(modified);
        out.writeInt((int) auxLength);
    }

    /**
     * Reads the {@value #LENGTH} readable bytes of {@code in} and checks the fields that need no context.
     *
     * @throws LogCorruptException naming {@code position} when a field is impossible
     */
    static RecordHeader parse(ByteBuf in, long position) throws LogCorruptException {
        int start = in.readerIndex();
        RecordType type = RecordType.of(in.getUnsignedByte(start));
        int reserved = in.getUnsignedByte(start + 1);
        int keyLength = in.getUnsignedShort(start + 2);
        long span = in.getUnsignedInt(start + 4);
        long generation = in.getLong(start + 8);
        long modified = in.getLong(start + 16);
        long auxLength = in.getUnsignedInt(start + 24);
        if (type == null || reserved != 0) throw new LogCorruptException("the record at log byte " + position + " has no known type");
        if (keyLength == 0 || keyLength > MAX_KEY_BYTES) {
            throw new LogCorruptException("the record at log byte " + position + " has a key of " + keyLength + " bytes");
        }
        boolean auxFits = switch (type) {
            case PUT -> auxLength <= Integer.MAX_VALUE;
            case DELETE -> auxLength == 0;
            case RENAME -> auxLength > 0 && auxLength <= MAX_KEY_BYTES;
        };
        if (!auxFits || span < recordLength(keyLength, auxLength)) {
            throw new LogCorruptException("the record at log byte " + position + " has impossible lengths");
        }
        return new RecordHeader(type, keyLength, span, generation, modified, auxLength);
    }
}
