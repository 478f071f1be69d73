package org.mirage4j.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes the smallest ELF-64 file with a {@code .modinfo} section, standing in for a kernel module in tests. */
final class TinyElf {

    private TinyElf() {}

    /** A relocatable ELF-64 whose {@code .modinfo} holds {@code strings}, each NUL-terminated. */
    static byte[] module(String... strings) {
        byte[] names = "\0.shstrtab\0.modinfo\0".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        for (String s : strings) {
            info.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            info.write(0);
        }
        byte[] modinfo = info.toByteArray();
        int namesAt = 64;
        int modinfoAt = namesAt + names.length;
        int tableAt = modinfoAt + modinfo.length;
        ByteBuffer b = ByteBuffer.allocate(tableAt + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 1);          // e_type ET_REL
        b.putShort(18, (short) 62);         // e_machine EM_X86_64
        b.putInt(20, 1);                    // e_version
        b.putLong(0x28, tableAt);           // e_shoff
        b.putShort(0x34, (short) 64);       // e_ehsize
        b.putShort(0x3a, (short) 64);       // e_shentsize
        b.putShort(0x3c, (short) 3);        // e_shnum
        b.putShort(0x3e, (short) 1);        // e_shstrndx
        b.put(namesAt, names);
        b.put(modinfoAt, modinfo);
        section(b, tableAt + 64, 1, 3, namesAt, names.length);      // .shstrtab, SHT_STRTAB
        section(b, tableAt + 128, 11, 1, modinfoAt, modinfo.length); // .modinfo, SHT_PROGBITS
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long offset, long size) {
        b.putInt(at, name);
        b.putInt(at + 4, type);
        b.putLong(at + 0x18, offset);
        b.putLong(at + 0x20, size);
    }
}
