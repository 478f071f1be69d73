package org.mirage4j.block.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;

/**
 * The meaning of a key-value store, written as plainly as possible to test the real one against: a map of
 * values, with dictionaries implied by the keys under them. Immutable: each change returns a new model.
 */
final class KvModel {

    private final TreeMap<String, byte[]> values;

    KvModel() {
        this(new TreeMap<>());
    }

    private KvModel(TreeMap<String, byte[]> values) {
        this.values = values;
    }

    Map<String, byte[]> values() {
        return values;
    }

    boolean isValue(KvKey key) {
        return values.containsKey(key.toString());
    }

    boolean isDictionary(KvKey key) {
        if (key.isRoot()) return true;
        return values.keySet().stream().anyMatch(k -> under(KvKey.parse(k), key) && !k.equals(key.toString()));
    }

    /** The model after setting {@code key}, or the reason the store must refuse. */
    KvModel set(KvKey key, byte[] value) throws KvException {
        if (isDictionary(key)) throw KvException.valueExpected(key);
        for (KvKey p = key.parent(); !p.isRoot(); p = p.parent()) {
            if (isValue(p)) throw KvException.dictionaryExpected(p);
        }
        TreeMap<String, byte[]> next = new TreeMap<>(values);
        next.put(key.toString(), value.clone());
        return new KvModel(next);
    }

    KvModel remove(KvKey key) {
        TreeMap<String, byte[]> next = new TreeMap<>(values);
        next.keySet().removeIf(k -> under(KvKey.parse(k), key));
        return new KvModel(next);
    }

    KvModel rename(KvKey source, KvKey destination) throws KvException {
        if (!isValue(source) && !isDictionary(source)) throw KvException.notFound(source);
        if (isValue(source) && destination.isRoot()) throw KvException.valueExpected(destination);
        if (source.equals(destination)) return this;
        TreeMap<String, byte[]> moved = new TreeMap<>();
        TreeMap<String, byte[]> rest = new TreeMap<>();
        values.forEach((k, v) -> {
            KvKey key = KvKey.parse(k);
            if (under(key, source)) {
                List<String> target = new ArrayList<>(destination.segments());
                target.addAll(key.segments().subList(source.segments().size(), key.segments().size()));
                moved.put(new KvKey(target).toString(), v);
            } else if (!under(key, destination)) {
                rest.put(k, v);
            }
        });
        for (KvKey p = destination.parent(); !p.isRoot(); p = p.parent()) {
            if (rest.containsKey(p.toString())) throw KvException.dictionaryExpected(p);
        }
        rest.putAll(moved);
        return new KvModel(rest);
    }

    /** The bytes a compacted store of this model takes, as fresh records. */
    long recordBytes() {
        long total = 0;
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            total += RecordHeader.recordLength(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, e.getValue().length);
        }
        return total;
    }

    static boolean under(KvKey key, KvKey prefix) {
        return key.segments().size() >= prefix.segments().size()
                && key.segments().subList(0, prefix.segments().size()).equals(prefix.segments());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KvModel other) || !other.values.keySet().equals(values.keySet())) return false;
        return values.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.values.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        values.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append('=').append(v.length).append('B'));
        return out.append('}').toString();
    }
}
