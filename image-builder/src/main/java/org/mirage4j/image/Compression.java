package org.mirage4j.image;

/** How the initramfs is compressed; the kernel unpacks it at boot. */
public enum Compression {
    /** xz with a CRC32 check (the kernel's xz decoder does not check CRC64): the smallest image. */
    XZ,
    /** gzip: larger than xz, but the kernel unpacks it faster. */
    GZIP,
    /** No compression: a larger image that the kernel unpacks without decompressing. */
    NONE
}
