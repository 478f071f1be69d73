package org.mirage4j.block.tar;

import static java.lang.System.Logger.Level.WARNING;

import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.block.Block;
import org.mirage4j.api.kv.KvEntry;
import org.mirage4j.api.kv.KvException;
import org.mirage4j.api.kv.KvKey;
import org.mirage4j.api.kv.KvKind;

/**
 * The index of a tar archive: where each file's data is, and which dictionaries hold what. Built once by
 * {@link #read}; immutable after.
 */
final class TarIndex {

    private static final System.Logger LOG = System.getLogger("block.tar");

    /** More entries than this are refused, to bound the memory the index takes. */
    static final int MAX_ENTRIES = 1_000_000;
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Map<KvKey, TarEntry> files;
    private final Map<KvKey, TreeMap<String, KvKind>> dictionaries;

    private TarIndex(Map<KvKey, TarEntry> files, Map<KvKey, TreeMap<String, KvKind>> dictionaries) {
        this.files = files;
        this.dictionaries = dictionaries;
    }

    /**
     * Reads every header of the archive on {@code block}.
     *
     * @throws DeviceException when the device holds no tar archive, a truncated one, one with too many entries,
     *     or one where a name is both a file and a directory
     */
    static TarIndex read(Block block, ByteBufAllocator allocator) throws IOException {
        Map<KvKey, TarEntry> files = new HashMap<>();
        Map<KvKey, TreeMap<String, KvKind>> dictionaries = new HashMap<>();
        dictionaries.put(KvKey.ROOT, new TreeMap<>());
        long deviceBytes = block.info().sizeBytes();
        int entries = 0;
        int skipped = 0;
        try (BlockInputStream device = new BlockInputStream(block, allocator, CHUNK_BYTES);
                TarArchiveInputStream tar = new TarArchiveInputStream(device, "UTF-8")) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (++entries > MAX_ENTRIES) {
                    throw new DeviceException("The tar archive on the block device has more than " + MAX_ENTRIES
                            + " entries, more than the read-only store indexes; split it into smaller archives.");
                }
                Optional<KvKey> key = keyOf(entry.getName());
                boolean kept = key.isPresent() && (entry.isDirectory() || (entry.isFile() && !entry.isSparse()));
                if (!kept) {
                    skipped++;
                    LOG.log(System.Logger.Level.DEBUG, "Left out tar entry {0}: not a regular file or directory with a usable name",
                            entry.getName());
                    continue;
                }
                if (entry.isDirectory()) {
                    addDictionary(dictionaries, files, key.get());
                } else {
                    long offset = device.position(); // the stream reads no further than the header it returned
                    if (offset + entry.getSize() > deviceBytes) {
                        throw new DeviceException("The tar archive on the block device is truncated (" + entry.getName()
                                + " runs past the end of the device); give it the whole archive.");
                    }
                    addFile(dictionaries, files, key.get(), new TarEntry(offset, entry.getSize(), entry.getModTime().getTime()));
                }
            }
        } catch (DeviceException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new DeviceException("The block device does not hold a readable tar archive (" + e.getMessage()
                    + "); give it an archive made with tar or org.mirage4j.block.tar.TarImage.", e);
        }
        if (skipped > 0) {
            LOG.log(WARNING, "Left out {0} tar entries that are not regular files or directories, or have names such as ../x",
                    String.valueOf(skipped));
        }
        return new TarIndex(Map.copyOf(files), dictionaries);
    }

    /** {@code ./a/b}, {@code /a/b/} and {@code a//b} are all {@code /a/b}; names with {@code ..} have no key. */
    private static Optional<KvKey> keyOf(String name) {
        try {
            List<String> segments = new ArrayList<>();
            for (String s : name.split("/")) {
                if (!s.isEmpty() && !s.equals(".")) segments.add(s);
            }
            return Optional.of(new KvKey(segments));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void addDictionary(Map<KvKey, TreeMap<String, KvKind>> dictionaries, Map<KvKey, TarEntry> files, KvKey key)
            throws DeviceException {
        for (KvKey k = key; !k.isRoot() && !dictionaries.containsKey(k); k = k.parent()) {
            if (files.containsKey(k)) throw bothFileAndDirectory(k);
            dictionaries.put(k, new TreeMap<>());
            dictionaries.computeIfAbsent(k.parent(), p -> new TreeMap<>()).put(k.name(), KvKind.DICTIONARY);
        }
    }

    private static void addFile(Map<KvKey, TreeMap<String, KvKind>> dictionaries, Map<KvKey, TarEntry> files, KvKey key, TarEntry entry)
            throws DeviceException {
        if (key.isRoot() || dictionaries.containsKey(key)) throw bothFileAndDirectory(key);
        addDictionary(dictionaries, files, key.parent());
        files.put(key, entry); // a later entry of the same name replaces the earlier, as tar extracts them
        dictionaries.get(key.parent()).put(key.name(), KvKind.VALUE);
    }

    private static DeviceException bothFileAndDirectory(KvKey key) {
        return new DeviceException("The tar archive on the block device has both a file and a directory named " + key
                + "; rebuild it without one of them.");
    }

    int size() {
        return files.size();
    }

    Optional<KvKind> kind(KvKey key) {
        if (files.containsKey(key)) return Optional.of(KvKind.VALUE);
        if (dictionaries.containsKey(key)) return Optional.of(KvKind.DICTIONARY);
        return Optional.empty();
    }

    TarEntry file(KvKey key) throws KvException {
        TarEntry entry = files.get(key);
        if (entry != null) return entry;
        if (dictionaries.containsKey(key)) throw KvException.valueExpected(key);
        throw KvException.notFound(key);
    }

    List<KvEntry> children(KvKey key) throws KvException {
        TreeMap<String, KvKind> children = dictionaries.get(key);
        if (children == null) {
            if (files.containsKey(key)) throw KvException.dictionaryExpected(key);
            throw KvException.notFound(key);
        }
        List<KvEntry> out = new ArrayList<>(children.size());
        children.forEach((name, kind) -> out.add(new KvEntry(name, kind)));
        return out;
    }
}
