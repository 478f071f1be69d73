package org.mirage4j.block.virtio;

/** Feature bits, configuration offsets and request codes of a virtio block device (VIRTIO 1.2 §5.2). */
final class BlkConfig {

    /** size_max is the largest segment. */
    static final int F_SIZE_MAX = 1;
    /** seg_max is the most segments in one request. */
    static final int F_SEG_MAX = 2;
    /** The device is read-only. */
    static final int F_RO = 5;
    /** blk_size is the logical block size. */
    static final int F_BLK_SIZE = 6;
    /** The device has a write cache that FLUSH commits. */
    static final int F_FLUSH = 9;

    /** {@code le64 capacity}, in 512-byte sectors whatever the block size. */
    static final int CAPACITY = 0;
    /** {@code le32 size_max}. */
    static final int SIZE_MAX = 8;
    /** {@code le32 seg_max}. */
    static final int SEG_MAX = 12;
    /** {@code le32 blk_size}. */
    static final int BLK_SIZE = 20;

    /** The unit of the capacity and of a request's sector field. */
    static final int VIRTIO_SECTOR = 512;

    static final int T_IN = 0;
    static final int T_OUT = 1;
    static final int T_FLUSH = 4;

    static final int S_OK = 0;
    static final int S_IOERR = 1;
    static final int S_UNSUPP = 2;

    /** Bytes of the request header {@code le32 type; le32 reserved; le64 sector}. */
    static final int HEADER = 16;

    private BlkConfig() {}
}
