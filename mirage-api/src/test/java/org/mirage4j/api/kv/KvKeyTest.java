package org.mirage4j.api.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class KvKeyTest {

    @Property
    void parsesWhatItFormats(Gen gen) {
        KvKey key = new KvKey(gen.listOf(0, 6, () -> segment(gen)));

        assertThat(KvKey.parse(key.toString())).isEqualTo(key);
        assertThat(key.toString()).startsWith("/");
        assertThat(KvKey.parse(key.toString().substring(1))).isEqualTo(key);
    }

    @Property
    void aChildIsOneSegmentBelowItsParent(Gen gen) {
        KvKey key = new KvKey(gen.listOf(0, 6, () -> segment(gen)));
        String name = segment(gen);
        KvKey child = key.child(name);

        assertThat(child.parent()).isEqualTo(key);
        assertThat(child.name()).isEqualTo(name);
        assertThat(child.isRoot()).isFalse();
        assertThat(child.segments()).hasSize(key.segments().size() + 1);
        assertThat(child.toString()).isEqualTo(key.isRoot() ? "/" + name : key + "/" + name);
    }

    @Test
    void theRootHasNoSegments() {
        assertThat(KvKey.ROOT).hasToString("/");
        assertThat(KvKey.ROOT.isRoot()).isTrue();
        assertThat(KvKey.ROOT.parent()).isEqualTo(KvKey.ROOT);
        assertThat(KvKey.ROOT.name()).isEmpty();
        assertThat(KvKey.parse("/")).isEqualTo(KvKey.ROOT);
        assertThat(KvKey.parse("")).isEqualTo(KvKey.ROOT);
    }

    @Test
    void skipsEmptySegments() {
        KvKey key = new KvKey(List.of("a", "b"));
        assertThat(KvKey.parse("/a/b")).isEqualTo(key);
        assertThat(KvKey.parse("a/b")).isEqualTo(key);
        assertThat(KvKey.parse("//a//b/")).isEqualTo(key);
    }

    @Test
    void copiesTheSegments() {
        var segments = new java.util.ArrayList<>(List.of("a"));
        KvKey key = new KvKey(segments);
        segments.add("b");
        assertThat(key.segments()).containsExactly("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/../b", "/./a", "..", "/a/\0"})
    void refusesDotSegmentsAndNul(String path) {
        assertThatThrownBy(() -> KvKey.parse(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a key segment");
    }

    @Test
    void refusesSegmentsThatAreNotNames() {
        assertThatThrownBy(() -> new KvKey(List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KvKey(List.of("a/b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KvKey.ROOT.child("..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void arbitraryPathsAreRefusedOnlyWithIllegalArgumentException(Gen gen) {
        String path = gen.bool() ? gen.asciiString(0, 30) : gen.oneOf("/", ".", "..", "\0", "a") + gen.asciiString(0, 5);

        Throwable thrown = catchThrowable(() -> KvKey.parse(path));
        if (thrown == null) {
            KvKey key = KvKey.parse(path);
            assertThat(KvKey.parse(key.toString())).isEqualTo(key);
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A valid segment: printable ASCII without '/', not '.' or '..'. */
    private static String segment(Gen gen) {
        String segment;
        do {
            segment = gen.asciiString(1, 8).replace('/', '_');
        } while (segment.equals(".") || segment.equals(".."));
        return segment;
    }
}
