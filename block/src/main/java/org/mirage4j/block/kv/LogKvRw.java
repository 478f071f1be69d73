package org.mirage4j.block.kv;

import static java.lang.System.Logger.Level.INFO;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.api.kv.KvRw;
import org.mirage4j.api.time.WallClock;

/**
 * A crash-safe {@link KvRw} over a block device: a log-structured store. See the package documentation for the
 * design, the on-disk format and what an acknowledged change guarantees.
 *
 * <p>Threads: any thread may call any method. Reads run together; changes run one at a time, each holding the
 * store's lock from its first write to its last flush, and block reads meanwhile.
 */
@Singleton
final class LogKvRw implements KvRw {

    private static final System.Logger LOG = System.getLogger("block.kv");
    /** Write the log this much at a time. */
    private static final int WRITE_CHUNK = 64 * 1024;

    private final Block block;
    private final WallClock clock;
    private final ByteBufAllocator allocator;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // Guarded by lock.
    private Superblock superblock;
    private KeyIndex index;
    /** Set when a change failed half-way: what is on the device is no longer known, so the store stops. */
    private IOException failure;

    /** A store over {@code block}; changes are timed by {@code clock}. Does no I/O (see {@link #connect()}). */
    @Inject
    LogKvRw(Block block, WallClock clock) {
        this(block, clock, ByteBufAllocator.DEFAULT);
    }

    LogKvRw(Block block, WallClock clock, ByteBufAllocator allocator) {
        this.block = block;
        this.clock = clock;
        this.allocator = allocator;
    }

    /**
     * Recovers the store from the device (see {@link Recovery}), or makes an empty one on a zero-filled device.
     * Reads at most the superblocks and one half of the device.
     *
     * @throws org.mirage4j.api.DeviceException for a corrupt device (its cause a {@link KvException} of reason
     *     {@code CORRUPT}), a device that holds something else, or one too small
     */
    @Override
    public void connect() throws IOException {
        Lock w = lock.writeLock();
        w.lock();
        try {
            Recovery.Opened opened = Recovery.open(block, allocator);
            superblock = opened.superblock();
            index = opened.index();
            failure = null;
            LOG.log(INFO, "Key-value store: {0} values, {1} of {2} bytes of log in use", String.valueOf(index.size()),
                    String.valueOf(superblock.end()), String.valueOf(superblock.geometry().halfBytes()));
        } finally {
            w.unlock();
        }
    }

    @Override
    public void disconnect() {
        Lock w = lock.writeLock();
        w.lock();
        try {
            index = null;
            superblock = null;
        } finally {
            w.unlock();
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public Optional<KvKind> exists(KvKey key) throws IOException {
        Lock r = readLock();
        try {
            return index.kind(key);
        } finally {
            r.unlock();
        }
    }

    /** {@inheritDoc} The value is checked against its checksum before it is returned; the caller owns the buffer. */
    @Override
    public ByteBuf get(KvKey key) throws IOException {
        return getPartial(key, 0, Integer.MAX_VALUE);
    }

    /**
     * {@inheritDoc} The whole record is read and checked, also when only part of the value is returned; the
     * caller owns the buffer.
     *
     * @throws KvException {@code CORRUPT} when the value on the device fails its checksum
     */
    @Override
    public ByteBuf getPartial(KvKey key, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("offset and length must not be negative");
        Lock r = readLock();
        try {
            Location location = index.requireValue(key);
            long from = Math.min(offset, location.valueLength());
            int count = (int) Math.min(length, location.valueLength() - from);
            ByteBuf out = allocator.buffer(count, count);
            try {
                long[] at = {0};
                readValue(key, location, slice -> {
                    // Copy the slice's overlap with [from, from + count).
                    long sliceStart = at[0];
                    int n = slice.readableBytes();
                    at[0] += n;
                    long lo = Math.max(sliceStart, from);
                    long hi = Math.min(sliceStart + n, from + count);
                    if (lo < hi) out.writeBytes(slice, slice.readerIndex() + (int) (lo - sliceStart), (int) (hi - lo));
                });
                return out;
            } catch (IOException | RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            r.unlock();
        }
    }

    @Override
    public List<KvEntry> list(KvKey key) throws IOException {
        Lock r = readLock();
        try {
            return index.children(key);
        } finally {
            r.unlock();
        }
    }

    @Override
    public long size(KvKey key) throws IOException {
        Lock r = readLock();
        try {
            return index.requireValue(key).valueLength();
        } finally {
            r.unlock();
        }
    }

    @Override
    public Instant lastModified(KvKey key) throws IOException {
        Lock r = readLock();
        try {
            return Instant.ofEpochMilli(index.requireValue(key).modified());
        } finally {
            r.unlock();
        }
    }

    /** {@inheritDoc} Computed from the value as read and checked now. */
    @Override
    public byte[] digest(KvKey key) throws IOException {
        Lock r = readLock();
        try {
            Location location = index.requireValue(key);
            MessageDigest sha = sha256();
            readValue(key, location, slice -> sha.update(slice.nioBuffer()));
            return sha.digest();
        } finally {
            r.unlock();
        }
    }

    // ---- changes ----------------------------------------------------------------------------------

    /**
     * {@inheritDoc} Returns once the value and the commit that makes it current are flushed to the device. The
     * caller keeps ownership of {@code value}, whose indices are left as they were.
     *
     * @throws KvException {@code NO_SPACE} when the store cannot hold the value even after compaction;
     *     {@code VALUE_EXPECTED} when {@code key} is a dictionary; {@code DICTIONARY_EXPECTED} when a key on its
     *     path is a value
     * @throws IllegalArgumentException when the key is longer than {@value RecordHeader#MAX_KEY_BYTES} bytes
     */
    @Override
    public void set(KvKey key, ByteBuf value) throws IOException {
        byte[] keyBytes = keyBytes(key);
        Lock w = writeLock();
        try {
            index.checkPut(key);
            commit(new Change.Put(key, keyBytes, value.slice(), clock.now().toEpochMilli()));
        } finally {
            w.unlock();
        }
    }

    /** {@inheritDoc} Returns once the removal is flushed to the device; never fails for want of space. */
    @Override
    public void remove(KvKey key) throws IOException {
        byte[] keyBytes = keyBytes(key);
        Lock w = writeLock();
        try {
            if (!index.exists(key) || (key.isRoot() && index.size() == 0)) return;
            commit(new Change.Delete(key, keyBytes));
        } finally {
            w.unlock();
        }
    }

    /**
     * {@inheritDoc} Returns once the move is flushed to the device. Moving a key onto itself does nothing.
     *
     * @throws KvException also {@code DICTIONARY_EXPECTED} when a key on the destination's path is a value, and
     *     {@code VALUE_EXPECTED} when a value would become the root
     */
    @Override
    public void rename(KvKey source, KvKey destination) throws IOException {
        byte[] sourceBytes = keyBytes(source);
        byte[] destinationBytes = keyBytes(destination);
        Lock w = writeLock();
        try {
            index.checkRename(source, destination);
            if (source.equals(destination)) return;
            commit(new Change.Rename(source, sourceBytes, destination, destinationBytes));
        } finally {
            w.unlock();
        }
    }

    /** Appends {@code change} to the log, or compacts into the other half when it does not fit; then commits. */
    private void commit(Change change) throws IOException {
        Geometry geometry = superblock.geometry();
        long span = geometry.roundUp(change.recordLength());
        if (superblock.end() + span <= geometry.halfBytes()) {
            append(geometry, change);
        } else {
            compact(geometry, change);
        }
    }

    private void append(Geometry geometry, Change change) throws IOException {
        Superblock next;
        Location location;
        try (DeviceWriter out = new DeviceWriter(block, allocator, geometry.halfStartSector(superblock.half()),
                geometry.halfBytes(), superblock.end(), WRITE_CHUNK)) {
            LogAppender log = new LogAppender(out, geometry.halfStartByte(superblock.half()), superblock.generation(),
                    geometry.sectorSize(), superblock.head());
            location = changing(() -> change.write(log, true));
            long end = changing(out::finish);
            next = superblock.append(end, log.chain());
        }
        changing(() -> {
            SuperblockWriter.commit(block, allocator, next);
            return null;
        });
        change.apply(index, location);
        superblock = next;
    }

    /**
     * Copies every live value into the other half, leaving out what {@code change} replaces or removes, then
     * writes {@code change} after them and commits the lot with one superblock: the old half stays the store
     * until that commit is durable.
     */
    private void compact(Geometry geometry, Change change) throws IOException {
        long needed = change.recordLengthAfterCompaction();
        for (Iterator<Map.Entry<KvKey, Location>> it = index.entries(); it.hasNext(); ) {
            Map.Entry<KvKey, Location> e = it.next();
            if (!change.replaces(e.getKey())) needed += KeyIndex.recordBytes(e.getKey(), e.getValue());
        }
        if (geometry.roundUp(needed) > geometry.halfBytes()) {
            throw new KvException(KvException.Reason.NO_SPACE, change.key(), "The key-value store is full: it needs "
                    + needed + " bytes for its values and this change, and holds " + geometry.halfBytes()
                    + "; remove values or give it a larger device.");
        }
        int newHalf = 1 - superblock.half();
        // Copy in the order the values lie in the old half, so that it is read front to back, a chunk at a time.
        List<Map.Entry<KvKey, Location>> kept = new ArrayList<>();
        for (Iterator<Map.Entry<KvKey, Location>> it = index.entries(); it.hasNext(); ) {
            Map.Entry<KvKey, Location> e = it.next();
            if (!change.replaces(e.getKey())) kept.add(Map.entry(e.getKey(), e.getValue()));
        }
        kept.sort(Comparator.comparingLong(e -> e.getValue().record()));
        KeyIndex fresh = new KeyIndex();
        Superblock next;
        try (DeviceWriter out = new DeviceWriter(block, allocator, geometry.halfStartSector(newHalf), geometry.halfBytes(), 0, WRITE_CHUNK);
                DeviceReader in = new DeviceReader(block, allocator, 0, geometry.sectors() * geometry.sectorSize(), WRITE_CHUNK)) {
            LogAppender log = new LogAppender(out, geometry.halfStartByte(newHalf), superblock.generation() + 1,
                    geometry.sectorSize(), 0);
            boolean changeWritten = change.recordLengthAfterCompaction() > 0;
            for (int i = 0; i < kept.size(); i++) {
                KvKey key = kept.get(i).getKey();
                Location old = kept.get(i).getValue();
                boolean last = i == kept.size() - 1 && !changeWritten;
                Location moved = changing(() -> log.beginPut(KeyCodec.encode(key), old.modified(), old.valueLength(), last));
                copyValue(in, key, old, log);
                changing(() -> {
                    log.end();
                    return null;
                });
                fresh.put(key, moved);
            }
            Location location = changeWritten ? changing(() -> change.write(log, true)) : null;
            long end = changing(out::finish);
            next = superblock.compacted(end, log.chain());
            if (changeWritten) change.apply(fresh, location);
        }
        changing(() -> {
            SuperblockWriter.commit(block, allocator, next);
            return null;
        });
        LOG.log(INFO, "Compacted the key-value store into half {0}: {1} values in {2} of {3} bytes",
                String.valueOf(next.half()), String.valueOf(fresh.size()), String.valueOf(next.end()), String.valueOf(geometry.halfBytes()));
        index = fresh;
        superblock = next;
    }

    /** Streams a live value from its old record into the record begun, checking the old record as it goes. */
    private void copyValue(DeviceReader in, KvKey key, Location old, LogAppender log) throws IOException {
        try {
            in.seek(old.record());
            RecordReader.Checked record = RecordReader.read(in, RecordHeader.recordLength(old.keyLength(), old.valueLength()),
                    old.previousCrc(), old.record(), slice -> changing(() -> {
                        log.value(slice);
                        return null;
                    }));
            checkIsValueRecord(record, old);
        } catch (LogCorruptException e) {
            // Nothing is committed yet: the store is as it was, but this value is damaged on the device.
            throw corrupt(key, e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Reads the value at {@code location} into {@code sink}, then checks it; the sink sees unchecked bytes. */
    private void readValue(KvKey key, Location location, DeviceReader.Sink sink) throws IOException {
        Geometry geometry = superblock.geometry();
        long length = RecordHeader.recordLength(location.keyLength(), location.valueLength());
        long first = location.record() - location.record() % geometry.sectorSize();
        int chunk = (int) Math.min(LogReplay.CHUNK_BYTES, geometry.roundUp(location.record() + length - first));
        try (DeviceReader in = new DeviceReader(block, allocator, 0, geometry.sectors() * geometry.sectorSize(), chunk)) {
            in.seek(location.record());
            RecordReader.Checked record = RecordReader.read(in, length, location.previousCrc(), location.record(), sink);
            checkIsValueRecord(record, location);
        } catch (LogCorruptException e) {
            throw corrupt(key, e);
        }
    }

    private static void checkIsValueRecord(RecordReader.Checked record, Location location) throws LogCorruptException {
        RecordHeader h = record.header();
        if (h.type() != RecordType.PUT || h.keyLength() != location.keyLength() || h.auxLength() != location.valueLength()) {
            throw new LogCorruptException("the record at device byte " + location.record() + " is not the value the index expects");
        }
    }

    private static KvException corrupt(KvKey key, LogCorruptException e) {
        KvException k = new KvException(KvException.Reason.CORRUPT, key, "The value of " + key
                + " is damaged on the block device (" + e.getMessage() + "); restore the device from a backup.");
        k.initCause(e);
        return k;
    }

    /** Runs one step of a change that writes to the device; a failure there stops the store. */
    private <T> T changing(Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof KvException)) failure = e instanceof IOException io ? io : new IOException(e);
            throw e;
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    private Lock readLock() throws IOException {
        Lock r = lock.readLock();
        r.lock();
        try {
            checkUsable();
        } catch (IOException | RuntimeException e) {
            r.unlock();
            throw e;
        }
        return r;
    }

    private Lock writeLock() throws IOException {
        Lock w = lock.writeLock();
        w.lock();
        try {
            checkUsable();
            if (!block.info().readWrite()) {
                throw new java.nio.file.AccessDeniedException("block device", null, "the key-value store is on a read-only device");
            }
        } catch (IOException | RuntimeException e) {
            w.unlock();
            throw e;
        }
        return w;
    }

    private void checkUsable() throws IOException {
        if (index == null) throw new IllegalStateException("The key-value store is not connected.");
        if (failure != null) {
            throw new IOException("The key-value store stopped after a write to its device failed (" + failure.getMessage()
                    + "); reconnect it (restart the application) to recover its last commit.", failure);
        }
    }

    private static byte[] keyBytes(KvKey key) {
        byte[] bytes = KeyCodec.encode(key);
        if (bytes.length > RecordHeader.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("A key of " + bytes.length + " bytes is longer than the "
                    + RecordHeader.MAX_KEY_BYTES + " bytes this store takes; use a shorter key.");
        }
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
