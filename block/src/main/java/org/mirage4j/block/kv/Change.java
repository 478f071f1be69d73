package org.mirage4j.block.kv;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import org.mirage4j.api.kv.KvKey;

/** One change to the store, already checked against the index: what it writes to the log and does to the index. */
sealed interface Change {

    /** The key the change is about, for errors. */
    KvKey key();

    /** The bytes of its record, padding aside. */
    long recordLength();

    /**
     * The bytes of its record when it is written after a compaction that left out what it {@link #replaces}: 0
     * when leaving those out is the whole change.
     */
    long recordLengthAfterCompaction();

    /** Whether the change makes the value {@code key} dead, so that compaction need not copy it. */
    boolean replaces(KvKey key);

    /** Writes its record; returns the location of the value it sets, if any. */
    Location write(LogAppender log, boolean last) throws IOException;

    /** Applies it to {@code index}, given what {@link #write} returned. */
    void apply(KeyIndex index, Location location);

    /**
     * Sets {@code key} to the readable bytes of {@code value}.
     *
     * @param value a view of the caller's buffer, which keeps ownership of it
     */
    record Put(KvKey key, byte[] keyBytes, ByteBuf value, long modified) implements Change {
        @Override
        public long recordLength() {
            return RecordHeader.recordLength(keyBytes.length, value.readableBytes());
        }

        @Override
        public long recordLengthAfterCompaction() {
            return recordLength();
        }

        @Override
        public boolean replaces(KvKey other) {
            return other.equals(key);
        }

        @Override
        public Location write(LogAppender log, boolean last) throws IOException {
            Location location = log.beginPut(keyBytes, modified, value.readableBytes(), last);
            log.value(value);
            log.end();
            return location;
        }

        @Override
        public void apply(KeyIndex index, Location location) {
            index.put(key, location);
        }
    }

    /** Removes the value or the dictionary {@code key}. */
    record Delete(KvKey key, byte[] keyBytes) implements Change {
        @Override
        public long recordLength() {
            return RecordHeader.recordLength(keyBytes.length, 0);
        }

        @Override
        public long recordLengthAfterCompaction() {
            return 0;
        }

        @Override
        public boolean replaces(KvKey other) {
            return KeyIndex.startsWith(other, key);
        }

        @Override
        public Location write(LogAppender log, boolean last) throws IOException {
            log.delete(keyBytes, last);
            return null;
        }

        @Override
        public void apply(KeyIndex index, Location location) {
            index.removeTree(key);
        }
    }

    /** Moves {@code key} (a value or a dictionary) to {@code destination}. */
    record Rename(KvKey key, byte[] keyBytes, KvKey destination, byte[] destinationBytes) implements Change {
        @Override
        public long recordLength() {
            return RecordHeader.recordLength(keyBytes.length, destinationBytes.length);
        }

        @Override
        public long recordLengthAfterCompaction() {
            return recordLength();
        }

        @Override
        public boolean replaces(KvKey other) {
            return false;
        }

        @Override
        public Location write(LogAppender log, boolean last) throws IOException {
            log.rename(keyBytes, destinationBytes, last);
            return null;
        }

        @Override
        public void apply(KeyIndex index, Location location) {
            index.rename(key, destination);
        }
    }
}
