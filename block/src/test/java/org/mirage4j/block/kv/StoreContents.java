package org.mirage4j.block.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.api.kv.KvRo;

/** Reads a whole store through its public methods, to compare it with a {@link KvModel}. */
final class StoreContents {

    private StoreContents() {}

    /** Every value of {@code store}, found by listing from the root, as a model. */
    static TreeMap<String, byte[]> read(KvRo store) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        walk(store, KvKey.ROOT, out);
        return out;
    }

    private static void walk(KvRo store, KvKey dictionary, Map<String, byte[]> out) throws IOException {
        for (KvEntry e : store.list(dictionary)) {
            KvKey child = dictionary.child(e.name());
            assertThat(store.exists(child)).as("exists(%s)", child).contains(e.kind());
            if (e.kind() == KvKind.DICTIONARY) {
                walk(store, child, out);
            } else {
                out.put(child.toString(), value(store, child));
            }
        }
    }

    /** The value of {@code key}, checked against its size and digest too. */
    static byte[] value(KvRo store, KvKey key) throws IOException {
        ByteBuf buf = store.get(key);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            assertThat(store.size(key)).as("size(%s)", key).isEqualTo(bytes.length);
            assertThat(store.digest(key)).as("digest(%s)", key).isEqualTo(sha256(bytes));
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Whether {@code store} holds exactly what {@code model} says. */
    static boolean matches(KvRo store, KvModel model) throws IOException {
        TreeMap<String, byte[]> actual = read(store);
        if (!actual.keySet().equals(model.values().keySet())) return false;
        return actual.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), model.values().get(e.getKey())));
    }

    static String describe(KvRo store) throws IOException {
        StringBuilder out = new StringBuilder("{");
        read(store).forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append('=').append(v.length).append('B'));
        return out.append('}').toString();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
