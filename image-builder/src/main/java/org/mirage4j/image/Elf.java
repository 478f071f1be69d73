package org.mirage4j.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The few facts the image builder reads from x86-64 ELF files (the System V ABI's ELF-64 object
 * file format): the sections by name, the shared libraries a program or library needs
 * ({@code DT_NEEDED}) and its program interpreter ({@code PT_INTERP}). Every offset is checked
 * against the file's length; a file that is not ELF-64 little-endian, or is damaged, is refused.
 */
final class Elf {

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int PT_INTERP = 3;
    private static final int SHT_DYNAMIC = 6;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;

    /** One section header: name, type, file offset, size and linked section. */
    private record Section(String name, int type, long offset, long size, int link) {}

    private final byte[] bytes;
    private final ByteBuffer b;
    private final List<Section> sections;
    private final String name;

    private Elf(byte[] bytes, String name) throws ImageException {
        this.bytes = bytes;
        this.name = name;
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4) || bytes[4] != ELFCLASS64 || bytes[5] != ELFDATA2LSB) {
            throw new ImageException(name + " is not a little-endian ELF-64 file; use files built for x86-64.");
        }
        this.sections = readSections();
    }

    /** Whether {@code file} starts with the ELF magic number. */
    static boolean isElf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), MAGIC);
        }
    }

    static Elf read(Path file) throws IOException {
        return new Elf(Files.readAllBytes(file), file.toString());
    }

    static Elf of(byte[] bytes, String name) throws ImageException {
        return new Elf(bytes, name);
    }

    /** The bytes of the section called {@code sectionName}, if there is one. */
    Optional<byte[]> section(String sectionName) {
        return sections.stream().filter(s -> s.name().equals(sectionName)).findFirst()
                .map(s -> Arrays.copyOfRange(bytes, (int) s.offset(), (int) (s.offset() + s.size())));
    }

    /** The sonames of the shared libraries this file needs, in the order it lists them. */
    List<String> needed() throws ImageException {
        List<String> needed = new ArrayList<>();
        for (Section dynamic : sections) {
            if (dynamic.type() != SHT_DYNAMIC) continue;
            if (dynamic.link() <= 0 || dynamic.link() >= sections.size()) throw damaged("its dynamic section links no string table");
            Section strings = sections.get(dynamic.link());
            for (long at = dynamic.offset(); at + 16 <= dynamic.offset() + dynamic.size(); at += 16) {
                long tag = b.getLong((int) at);
                if (tag == DT_NULL) break;
                if (tag == DT_NEEDED) needed.add(cString(strings.offset() + b.getLong((int) at + 8), strings));
            }
        }
        return needed;
    }

    /** The program interpreter (dynamic loader) this program asks for, if it is a dynamic program. */
    Optional<String> interpreter() throws ImageException {
        long table = b.getLong(0x20);
        int entrySize = Short.toUnsignedInt(b.getShort(0x36));
        int count = Short.toUnsignedInt(b.getShort(0x38));
        if (count == 0) return Optional.empty();
        if (entrySize < 0x38 || table < 0 || table + (long) count * entrySize > bytes.length) throw damaged("its program header table is damaged");
        for (int i = 0; i < count; i++) {
            int at = (int) (table + (long) i * entrySize);
            if (b.getInt(at) != PT_INTERP) continue;
            long offset = b.getLong(at + 0x08);
            long size = b.getLong(at + 0x20);
            checkRange(offset, size);
            return Optional.of(cString(offset, new Section("", 0, offset, size, 0)));
        }
        return Optional.empty();
    }

    private List<Section> readSections() throws ImageException {
        long table = b.getLong(0x28);
        int entrySize = Short.toUnsignedInt(b.getShort(0x3a));
        int count = Short.toUnsignedInt(b.getShort(0x3c));
        int namesIndex = Short.toUnsignedInt(b.getShort(0x3e));
        if (count == 0) return List.of();
        if (entrySize < 0x40 || namesIndex >= count || table < 0 || table + (long) count * entrySize > bytes.length) {
            throw damaged("its section table is damaged");
        }
        List<Section> raw = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Section header: sh_name 0x00, sh_type 0x04, sh_offset 0x18, sh_size 0x20, sh_link 0x28.
            int at = (int) (table + (long) i * entrySize);
            long offset = b.getLong(at + 0x18);
            int type = b.getInt(at + 0x04);
            long size = type == 8 ? 0 : b.getLong(at + 0x20); // SHT_NOBITS (.bss) has no bytes in the file
            checkRange(offset, size);
            raw.add(new Section(Integer.toUnsignedString(b.getInt(at)), type, offset, size, b.getInt(at + 0x28)));
        }
        Section names = raw.get(namesIndex);
        List<Section> named = new ArrayList<>();
        for (Section s : raw) {
            named.add(new Section(cString(names.offset() + Long.parseLong(s.name()), names), s.type(), s.offset(), s.size(), s.link()));
        }
        return named;
    }

    private void checkRange(long offset, long size) throws ImageException {
        if (offset < 0 || size < 0 || offset + size > bytes.length) throw damaged("a section or segment lies outside the file");
    }

    /** The NUL-terminated string at {@code at}, which must lie inside {@code within}. */
    private String cString(long at, Section within) throws ImageException {
        long end = within.offset() + within.size();
        if (at < within.offset() || at >= end) throw damaged("a string offset lies outside its table");
        int stop = (int) at;
        while (stop < end && bytes[stop] != 0) stop++;
        return new String(bytes, (int) at, stop - (int) at, StandardCharsets.UTF_8);
    }

    private ImageException damaged(String problem) {
        return new ImageException(name + " is a damaged ELF file (" + problem + "); replace it.");
    }
}
