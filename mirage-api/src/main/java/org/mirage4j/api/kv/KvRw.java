package org.mirage4j.api.kv;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** A read-write key-value store (mirage-kv's {@code RW}). Each implementation documents what an acknowledged change survives. */
public interface KvRw extends KvRo {

    /**
     * Stores the readable bytes of {@code value} under {@code key}, creating the dictionaries on
     * its path. Returns once the change is as durable as the implementation promises. The caller
     * keeps ownership of {@code value}.
     *
     * @throws KvException {@code NO_SPACE}, or {@code DICTIONARY_EXPECTED} when a prefix of the key is a value
     */
    void set(KvKey key, ByteBuf value) throws IOException;

    /** Removes the value or the whole dictionary {@code key}; removing a missing key does nothing. */
    void remove(KvKey key) throws IOException;

    /**
     * Moves the value or dictionary {@code source} to {@code destination}, replacing what was there.
     *
     * @throws KvException {@code NOT_FOUND} when {@code source} does not exist
     */
    void rename(KvKey source, KvKey destination) throws IOException;
}
