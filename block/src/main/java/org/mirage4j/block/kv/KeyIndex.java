package org.mirage4j.block.kv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;

/**
 * The store's contents in memory: each value's key and {@link Location}, sorted segment by segment so that a
 * dictionary's values are one contiguous range. Dictionaries are implicit: the root always exists, and any other
 * dictionary exists while a value lies under it.
 *
 * <p>The {@code check*} methods say whether a change is allowed; the changing methods assume it was checked. The
 * same rules serve live changes and the replay of the log at connect, so a log that replays is a log of allowed
 * changes. Not thread-safe: the store guards it with its lock.
 */
final class KeyIndex {

    /** Orders keys segment by segment: a key sorts right before its descendants, which sort together. */
    static final Comparator<KvKey> ORDER = (a, b) -> {
        List<String> x = a.segments();
        List<String> y = b.segments();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    };

    private final TreeMap<KvKey, Location> values = new TreeMap<>(ORDER);
    /** The bytes the live values would take as freshly written records: what compaction needs. */
    private long liveBytes;

    int size() {
        return values.size();
    }

    long liveBytes() {
        return liveBytes;
    }

    /** Every value in key order, for compaction. */
    Iterator<Map.Entry<KvKey, Location>> entries() {
        return values.entrySet().iterator();
    }

    /** The value of {@code key}, or {@code null} when it is not a value. */
    Location value(KvKey key) {
        return values.get(key);
    }

    Optional<KvKind> kind(KvKey key) {
        if (values.containsKey(key)) return Optional.of(KvKind.VALUE);
        if (key.isRoot() || hasDescendant(key)) return Optional.of(KvKind.DICTIONARY);
        return Optional.empty();
    }

    /** The value of {@code key}, or the error a reader of a value gets. */
    Location requireValue(KvKey key) throws KvException {
        Location location = values.get(key);
        if (location != null) return location;
        if (key.isRoot() || hasDescendant(key)) throw KvException.valueExpected(key);
        throw KvException.notFound(key);
    }

    /** The children of the dictionary {@code key}, sorted by name. */
    List<KvEntry> children(KvKey key) throws KvException {
        if (values.containsKey(key)) throw KvException.dictionaryExpected(key);
        List<KvEntry> out = new ArrayList<>();
        int depth = key.segments().size();
        String previous = null;
        for (KvKey k : subtree(key).keySet()) {
            if (k.equals(key)) continue;
            String name = k.segments().get(depth);
            if (name.equals(previous)) continue; // a dictionary seen already: skip the rest of its values
            out.add(new KvEntry(name, k.segments().size() == depth + 1 ? KvKind.VALUE : KvKind.DICTIONARY));
            previous = name;
        }
        if (out.isEmpty() && !key.isRoot()) throw KvException.notFound(key);
        return out;
    }

    /** Whether {@code key} may be set to a value: it is not a dictionary, and no key on its path is a value. */
    void checkPut(KvKey key) throws KvException {
        if (key.isRoot() || hasDescendant(key)) throw KvException.valueExpected(key);
        for (KvKey p = key.parent(); !p.isRoot(); p = p.parent()) {
            if (values.containsKey(p)) throw KvException.dictionaryExpected(p);
        }
    }

    void put(KvKey key, Location location) {
        Location old = values.put(key, location);
        if (old != null) liveBytes -= recordBytes(key, old);
        liveBytes += recordBytes(key, location);
    }

    /** Whether {@code key} names a value or a dictionary (the root always does). */
    boolean exists(KvKey key) {
        return kind(key).isPresent();
    }

    /** Removes the value {@code key}, or every value under the dictionary {@code key}. */
    void removeTree(KvKey key) {
        Iterator<Map.Entry<KvKey, Location>> it = subtree(key).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<KvKey, Location> e = it.next();
            liveBytes -= recordBytes(e.getKey(), e.getValue());
            it.remove();
        }
    }

    /**
     * Whether {@code source} may be moved to {@code destination}: it exists, a value does not become the root,
     * and no key on the destination's path is a value once the source has moved away.
     */
    void checkRename(KvKey source, KvKey destination) throws KvException {
        if (!exists(source)) throw KvException.notFound(source);
        if (values.containsKey(source) && destination.isRoot()) throw KvException.valueExpected(destination);
        for (KvKey p = destination.parent(); !p.isRoot(); p = p.parent()) {
            if (values.containsKey(p) && !startsWith(p, source)) throw KvException.dictionaryExpected(p);
        }
    }

    /** Moves {@code source} (a value, or a dictionary with all it holds) to {@code destination}, replacing what was there. */
    void rename(KvKey source, KvKey destination) {
        if (source.equals(destination)) return;
        // Copies, not the map's own entries: TreeMap reuses an entry object when it deletes a neighbour.
        List<Map.Entry<KvKey, Location>> moved = new ArrayList<>();
        subtree(source).forEach((k, v) -> moved.add(Map.entry(k, v)));
        removeTree(source);
        removeTree(destination);
        int depth = source.segments().size();
        for (Map.Entry<KvKey, Location> e : moved) {
            List<String> relative = e.getKey().segments().subList(depth, e.getKey().segments().size());
            List<String> target = new ArrayList<>(destination.segments());
            target.addAll(relative);
            put(new KvKey(target), e.getValue());
        }
    }

    /** Every value at or under {@code key}, as a live view. */
    NavigableMap<KvKey, Location> subtree(KvKey key) {
        NavigableMap<KvKey, Location> tail = values.tailMap(key, true);
        KvKey end = null;
        for (KvKey k : tail.keySet()) {
            if (!startsWith(k, key)) {
                end = k;
                break;
            }
        }
        return end == null ? tail : values.subMap(key, true, end, false);
    }

    private boolean hasDescendant(KvKey key) {
        KvKey next = values.higherKey(key);
        return next != null && startsWith(next, key) && !next.equals(key);
    }

    static boolean startsWith(KvKey key, KvKey prefix) {
        List<String> k = key.segments();
        List<String> p = prefix.segments();
        return k.size() >= p.size() && k.subList(0, p.size()).equals(p);
    }

    /** The bytes a fresh {@code PUT} record of this value takes, padding aside. */
    static long recordBytes(KvKey key, Location location) {
        return RecordHeader.recordLength(KeyCodec.encodedLength(key), location.valueLength());
    }
}
