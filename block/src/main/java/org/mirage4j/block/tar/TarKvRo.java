package org.mirage4j.block.tar;

import static java.lang.System.Logger.Level.INFO;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.api.kv.KvRo;
import org.mirage4j.block.BlockBytes;

/**
 * A {@link KvRo} over a tar archive on a block device. See the package documentation for the contract.
 *
 * <p>Threads: {@link #connect()} on one thread; after it, any thread may read, several at once.
 */
@Singleton
final class TarKvRo implements KvRo {

    private static final System.Logger LOG = System.getLogger("block.tar");
    private static final int DIGEST_CHUNK = 64 * 1024;

    private final Block block;
    private final ByteBufAllocator allocator;
    private final Map<KvKey, byte[]> digests = new ConcurrentHashMap<>();
    private volatile TarIndex index;

    /** A store over the archive on {@code block}. Does no I/O (see {@link #connect()}). */
    @Inject
    TarKvRo(Block block) {
        this(block, ByteBufAllocator.DEFAULT);
    }

    TarKvRo(Block block, ByteBufAllocator allocator) {
        this.block = block;
        this.allocator = allocator;
    }

    /**
     * Reads the archive's headers into the index.
     *
     * @throws org.mirage4j.api.DeviceException when the device holds no readable tar archive, or one the store
     *     cannot serve (see {@link TarIndex#read})
     */
    @Override
    public void connect() throws IOException {
        index = TarIndex.read(block, allocator);
        LOG.log(INFO, "Tar archive: {0} files", String.valueOf(index.size()));
    }

    @Override
    public void disconnect() {
        index = null;
        digests.clear();
    }

    @Override
    public Optional<KvKind> exists(KvKey key) {
        return index().kind(key);
    }

    /** {@inheritDoc} The caller owns the buffer and must release it. */
    @Override
    public ByteBuf get(KvKey key) throws IOException {
        TarEntry entry = index().file(key);
        if (entry.size() > Integer.MAX_VALUE - block.info().sectorSize()) {
            throw new IOException("The value of " + key + " is " + entry.size() + " bytes, too large for one buffer; read it with getPartial.");
        }
        return BlockBytes.read(block, allocator, entry.offset(), (int) entry.size());
    }

    /** {@inheritDoc} The caller owns the buffer and must release it. */
    @Override
    public ByteBuf getPartial(KvKey key, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("offset and length must not be negative");
        TarEntry entry = index().file(key);
        long from = Math.min(offset, entry.size());
        int count = (int) Math.min(length, entry.size() - from);
        return BlockBytes.read(block, allocator, entry.offset() + from, count);
    }

    @Override
    public List<KvEntry> list(KvKey key) throws IOException {
        return index().children(key);
    }

    @Override
    public long size(KvKey key) throws IOException {
        return index().file(key).size();
    }

    @Override
    public Instant lastModified(KvKey key) throws IOException {
        return Instant.ofEpochMilli(index().file(key).modifiedMillis());
    }

    /** {@inheritDoc} Computed from the device the first time it is asked for, then remembered. */
    @Override
    public byte[] digest(KvKey key) throws IOException {
        TarEntry entry = index().file(key);
        byte[] known = digests.get(key);
        if (known == null) {
            MessageDigest sha = sha256();
            for (long done = 0; done < entry.size(); ) {
                int n = (int) Math.min(DIGEST_CHUNK, entry.size() - done);
                ByteBuf part = BlockBytes.read(block, allocator, entry.offset() + done, n);
                try {
                    sha.update(part.nioBuffer());
                } finally {
                    part.release();
                }
                done += n;
            }
            known = sha.digest();
            digests.put(key, known);
        }
        return known.clone();
    }

    private TarIndex index() {
        TarIndex i = index;
        if (i == null) throw new IllegalStateException("The tar store is not connected.");
        return i;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
