package org.mirage4j.runtime.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.api.kv.KvRo;

/**
 * A {@link KvRo} over files embedded at build time. {@link #connect()} loads every file into
 * memory once and checks it against the digest the build recorded; after that {@link #get} hands
 * out read-only slices without copying. Thread-safe after connect.
 */
public final class CrunchedKvRo implements KvRo {

    private final String name;
    private final Class<?> anchor;
    private final List<CrunchedFile> files;

    private final Map<KvKey, Loaded> values = new HashMap<>();
    private final Map<KvKey, TreeMap<String, KvKind>> dictionaries = new HashMap<>();

    private record Loaded(CrunchedFile file, ByteBuf bytes, byte[] digest) {}

    /**
     * @param name the device's name, for errors
     * @param anchor the generated index class; resources are looked up relative to it
     * @param files every embedded file
     */
    public CrunchedKvRo(String name, Class<?> anchor, List<CrunchedFile> files) {
        this.name = name;
        this.anchor = anchor;
        this.files = List.copyOf(files);
    }

    @Override
    public void connect() throws IOException {
        dictionaries.put(KvKey.ROOT, new TreeMap<>());
        for (CrunchedFile file : files) {
            KvKey key = KvKey.parse(file.path());
            byte[] bytes;
            try (InputStream in = anchor.getResourceAsStream(file.resource())) {
                if (in == null) {
                    throw new DeviceException("The embedded file " + file.path() + " of " + name
                            + " is missing from the application's jar; rebuild the application.");
                }
                bytes = in.readAllBytes();
            }
            byte[] digest = sha256(bytes);
            if (bytes.length != file.size() || !HexFormat.of().formatHex(digest).equals(file.sha256())) {
                throw new DeviceException("The embedded file " + file.path() + " of " + name
                        + " does not match what the build recorded; rebuild the application.");
            }
            ByteBuf buf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
            values.put(key, new Loaded(file, buf, digest));
            for (KvKey child = key; !child.isRoot(); child = child.parent()) {
                KvKind kind = child == key ? KvKind.VALUE : KvKind.DICTIONARY;
                dictionaries.computeIfAbsent(child.parent(), k -> new TreeMap<>()).put(child.name(), kind);
                if (kind == KvKind.DICTIONARY) dictionaries.computeIfAbsent(child, k -> new TreeMap<>());
            }
        }
    }

    @Override
    public Optional<KvKind> exists(KvKey key) {
        if (values.containsKey(key)) return Optional.of(KvKind.VALUE);
        if (dictionaries.containsKey(key)) return Optional.of(KvKind.DICTIONARY);
        return Optional.empty();
    }

    /** {@inheritDoc} The buffer is a read-only view of the embedded bytes; releasing it is still the caller's duty. */
    @Override
    public ByteBuf get(KvKey key) throws KvException {
        return value(key).bytes().retainedDuplicate();
    }

    @Override
    public ByteBuf getPartial(KvKey key, long offset, int length) throws KvException {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("offset and length must not be negative");
        ByteBuf bytes = value(key).bytes();
        int from = (int) Math.min(offset, bytes.readableBytes());
        int to = Math.min(bytes.readableBytes(), from + length);
        return bytes.retainedSlice(from, to - from);
    }

    @Override
    public List<KvEntry> list(KvKey key) throws KvException {
        TreeMap<String, KvKind> children = dictionaries.get(key);
        if (children == null) {
            if (values.containsKey(key)) throw KvException.dictionaryExpected(key);
            throw KvException.notFound(key);
        }
        List<KvEntry> out = new ArrayList<>(children.size());
        children.forEach((child, kind) -> out.add(new KvEntry(child, kind)));
        return out;
    }

    @Override
    public long size(KvKey key) throws KvException {
        return value(key).file().size();
    }

    @Override
    public Instant lastModified(KvKey key) throws KvException {
        return Instant.ofEpochMilli(value(key).file().lastModifiedMillis());
    }

    @Override
    public byte[] digest(KvKey key) throws KvException {
        return value(key).digest().clone();
    }

    @Override
    public void disconnect() {
        values.clear();
        dictionaries.clear();
    }

    private Loaded value(KvKey key) throws KvException {
        Loaded loaded = values.get(key);
        if (loaded != null) return loaded;
        if (dictionaries.containsKey(key)) throw KvException.valueExpected(key);
        throw KvException.notFound(key);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
