package org.mirage4j.api.kv;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mirage4j.api.Device;

/** A read-only key-value store (mirage-kv's {@code RO}). Safe to use from several threads. */
public interface KvRo extends Device {

    /** What {@code key} names, or empty when nothing has it. */
    Optional<KvKind> exists(KvKey key) throws IOException;

    /**
     * The whole value of {@code key}. The caller owns the buffer and must release it.
     *
     * @throws KvException {@code NOT_FOUND} or {@code VALUE_EXPECTED}
     */
    ByteBuf get(KvKey key) throws IOException;

    /**
     * Up to {@code length} bytes of the value of {@code key} from {@code offset} (fewer at the
     * end of the value). The caller owns the buffer and must release it.
     *
     * @throws KvException {@code NOT_FOUND} or {@code VALUE_EXPECTED}
     */
    ByteBuf getPartial(KvKey key, long offset, int length) throws IOException;

    /**
     * The children of the dictionary {@code key}, sorted by name.
     *
     * @throws KvException {@code NOT_FOUND} or {@code DICTIONARY_EXPECTED}
     */
    List<KvEntry> list(KvKey key) throws IOException;

    /** The size in bytes of the value of {@code key}. */
    long size(KvKey key) throws IOException;

    /** When the value of {@code key} was last changed. */
    Instant lastModified(KvKey key) throws IOException;

    /** A SHA-256 digest of the value of {@code key}, for ETags and integrity checks. */
    byte[] digest(KvKey key) throws IOException;
}
