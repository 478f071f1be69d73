package org.mirage4j.block.tar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;
import org.mirage4j.block.memory.MemoryBlock;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.RequiresCommands;
import org.mirage4j.testing.TrackedHeapAllocator;

class TarKvRoTest {

    @TempDir
    Path tmp;

    /** A directory with nested, empty, long-named, non-ASCII, empty and multi-sector files. */
    private Path sampleTree(Gen gen) throws IOException {
        Path root = tmp.resolve("site");
        Files.createDirectories(root.resolve("css"));
        Files.createDirectories(root.resolve("empty-dir"));
        Files.createDirectories(root.resolve("a/b/c"));
        Files.write(root.resolve("index.html"), "<h1>hello</h1>\n".getBytes(UTF_8));
        Files.write(root.resolve("css/site.css"), "body { margin: 0 }\n".getBytes(UTF_8));
        Files.write(root.resolve("a/b/c/" + "long-name-".repeat(15) + ".txt"), gen.bytes(0, 3000));
        Files.write(root.resolve("a/données.bin"), gen.bytes(70_000, 140_000));
        Files.write(root.resolve("a/empty"), new byte[0]);
        Files.setLastModifiedTime(root.resolve("index.html"), FileTime.from(Instant.parse("2024-05-06T07:08:09Z")));
        return root;
    }

    private static TarKvRo open(byte[] image) throws IOException {
        byte[] padded = Arrays.copyOf(image, (image.length + 511) / 512 * 512);
        TarKvRo store = new TarKvRo(MemoryBlock.of(512, padded, false), TrackedHeapAllocator.INSTANCE);
        store.connect();
        return store;
    }

    /** Every regular file under {@code root}, by key. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put("/" + root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static byte[] get(TarKvRo store, KvKey key) throws IOException {
        ByteBuf buf = store.get(key);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    private void assertServes(TarKvRo store, Path root) throws Exception {
        Map<String, byte[]> expected = files(root);
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            KvKey key = KvKey.parse(e.getKey());
            assertThat(store.exists(key)).as(e.getKey()).contains(KvKind.VALUE);
            assertThat(get(store, key)).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(store.size(key)).isEqualTo(e.getValue().length);
            assertThat(store.digest(key)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(e.getValue()));
        }
        assertThat(store.list(KvKey.ROOT)).contains(new KvEntry("css", KvKind.DICTIONARY), new KvEntry("index.html", KvKind.VALUE),
                new KvEntry("empty-dir", KvKind.DICTIONARY));
        assertThat(store.list(KvKey.parse("/empty-dir"))).isEmpty();
        assertThat(store.list(KvKey.parse("/a"))).containsExactly(new KvEntry("b", KvKind.DICTIONARY),
                new KvEntry("données.bin", KvKind.VALUE), new KvEntry("empty", KvKind.VALUE));
        assertThat(store.lastModified(KvKey.parse("/index.html"))).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
    }

    @Property(tries = 10)
    void servesWhatTarImageArchived(Gen gen) throws Exception {
        Path root = sampleTree(gen);
        Path image = tmp.resolve("site.tar");

        long size = TarImage.write(root, image);

        assertThat(size % 512).as("a whole number of sectors").isZero();
        assertServes(open(Files.readAllBytes(image)), root);
    }

    @Test
    @RequiresCommands("tar")
    void servesWhatGnuTarArchived() throws Exception {
        Path root = sampleTree(new Gen(11));
        Path image = tmp.resolve("gnu.tar");
        Process tar = new ProcessBuilder("tar", "-C", root.toString(), "-cf", image.toString(), ".").inheritIO().start();
        assertThat(tar.waitFor()).isZero();

        assertServes(open(Files.readAllBytes(image)), root);
    }

    @Test
    void readsPartsOfAValue() throws Exception {
        Path root = sampleTree(new Gen(5));
        Path image = tmp.resolve("site.tar");
        TarImage.write(root, image);
        TarKvRo store = open(Files.readAllBytes(image));
        KvKey key = KvKey.parse("/a/données.bin");
        byte[] whole = Files.readAllBytes(root.resolve("a/données.bin"));

        ByteBuf part = store.getPartial(key, 1000, 5000);
        ByteBuf tail = store.getPartial(key, whole.length - 3, 100);
        try {
            assertThat(ByteBufBytes.of(part)).isEqualTo(Arrays.copyOfRange(whole, 1000, 6000));
            assertThat(ByteBufBytes.of(tail)).isEqualTo(Arrays.copyOfRange(whole, whole.length - 3, whole.length));
        } finally {
            part.release();
            tail.release();
        }
        assertThatThrownBy(() -> store.get(KvKey.parse("/a"))).matches(e -> ((KvException) e).reason() == KvException.Reason.VALUE_EXPECTED);
        assertThatThrownBy(() -> store.get(KvKey.parse("/nope"))).matches(e -> ((KvException) e).reason() == KvException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> store.list(KvKey.parse("/index.html")))
                .matches(e -> ((KvException) e).reason() == KvException.Reason.DICTIONARY_EXPECTED);
    }

    private static byte[] archive(String... namesAndContents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void dotDotNamesAreLeftOutAndALaterEntryWins() throws Exception {
        TarKvRo store = open(archive("../escape", "x", "./ok", "first", "/ok", "second"));

        assertThat(store.list(KvKey.ROOT)).containsExactly(new KvEntry("ok", KvKind.VALUE));
        assertThat(new String(get(store, KvKey.parse("/ok")), UTF_8)).isEqualTo("second");
    }

    @Test
    void aNameThatIsBothAFileAndADirectoryIsRefused() {
        assertThatThrownBy(() -> open(archive("a", "file", "a/b", "file under a file")))
                .isInstanceOf(DeviceException.class).hasMessageContaining("both a file and a directory named /a");
    }

    @Test
    void aDeviceWithoutAnArchiveIsRefusedAndAnEmptyOneIsAnEmptyStore() throws IOException {
        byte[] noise = new Gen(9).bytes(512 * 8);
        assertThatThrownBy(() -> open(noise)).isInstanceOf(DeviceException.class).hasMessageContaining("tar archive");

        TarKvRo empty = open(new byte[512 * 8]);
        assertThat(empty.list(KvKey.ROOT)).isEmpty();
    }

    /** Copies a buffer's readable bytes. */
    static final class ByteBufBytes {
        static byte[] of(ByteBuf buf) {
            byte[] out = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), out);
            return out;
        }
    }
}
