package org.mirage4j.api.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * A key: a path of non-empty segments, written {@code /a/b}. The root, {@code /}, has none.
 *
 * @param segments the path's segments; none empty, none {@code .} or {@code ..}, none with a {@code /}
 */
public record KvKey(List<String> segments) {

    public static final KvKey ROOT = new KvKey(List.of());

    public KvKey {
        segments = List.copyOf(segments);
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("'" + s + "' is not a key segment: use a non-empty name without '/'.");
            }
        }
    }

    /** Parses {@code /a/b} or {@code a/b}; empty segments ({@code a//b}) are skipped. */
    public static KvKey parse(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) segments.add(s);
        }
        return new KvKey(segments);
    }

    /** This key with {@code segment} appended. */
    public KvKey child(String segment) {
        List<String> more = new ArrayList<>(segments);
        more.add(segment);
        return new KvKey(more);
    }

    /** The key one level up; the root's parent is the root. */
    public KvKey parent() {
        return segments.isEmpty() ? this : new KvKey(segments.subList(0, segments.size() - 1));
    }

    /** The last segment, or the empty string for the root. */
    public String name() {
        return segments.isEmpty() ? "" : segments.getLast();
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments);
    }
}
