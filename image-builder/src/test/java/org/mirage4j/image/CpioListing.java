package org.mirage4j.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** Reads an initramfs back, as the kernel would: what each path is and holds. */
final class CpioListing {

    /** One entry: its cpio header and its bytes. */
    record Item(CpioArchiveEntry entry, byte[] bytes) {
        boolean isExecutableFile() {
            return entry.isRegularFile() && (entry.getMode() & 0111) != 0;
        }
    }

    private CpioListing() {}

    /** The entries by path, in archive order; xz and gzip are recognised by their magic numbers. */
    static Map<String, Item> read(Path archive) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
                InputStream in = decompressed(raw);
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            for (CpioArchiveEntry e; (e = cpio.getNextEntry()) != null; ) {
                items.put(e.getName(), new Item(e, cpio.readAllBytes()));
            }
        }
        return items;
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        raw.mark(6);
        byte[] magic = raw.readNBytes(6);
        raw.reset();
        if ((magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z') return new XZInputStream(raw);
        if ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) return new GZIPInputStream(raw);
        return raw;
    }
}
