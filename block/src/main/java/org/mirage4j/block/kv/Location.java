package org.mirage4j.block.kv;

/**
 * Where a value's {@code PUT} record is on the device, with what is needed to check it when it is read again.
 *
 * @param record the byte offset on the device of the record's first byte
 * @param previousCrc the chain value before the record (what its trailer's CRC starts from)
 * @param keyLength the bytes of the key stored in the record (which a rename may since have changed)
 * @param valueLength the value's bytes
 * @param modified when the value was set, in milliseconds since the epoch
 */
record Location(long record, int previousCrc, int keyLength, int valueLength, long modified) {}
