package org.mirage4j.api.block;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import org.mirage4j.api.Device;

/**
 * A block device (mirage-block's {@code Mirage_block.S}): a file on unix, virtio-blk on kvm.
 * Safe to use from several virtual threads; requests may be in flight together.
 */
public interface Block extends Device {

    BlockInfo info();

    /**
     * Reads from {@code startSector} into {@code destination}, filling all its writable bytes and
     * advancing its writer index. The caller keeps ownership of {@code destination}.
     *
     * @throws IllegalArgumentException when the writable bytes are not a whole number of sectors,
     *     or the range runs past the end of the device
     */
    void read(long startSector, ByteBuf destination) throws IOException;

    /**
     * Writes all readable bytes of {@code source} from {@code startSector}, advancing its reader
     * index. The caller keeps ownership of {@code source}. The data is durable only after
     * {@link #flush()}.
     *
     * @throws IllegalArgumentException when the readable bytes are not a whole number of sectors,
     *     or the range runs past the end of the device
     * @throws java.nio.file.AccessDeniedException when the device is read-only
     */
    void write(long startSector, ByteBuf source) throws IOException;

    /** Returns once every write completed before this call is durable. */
    void flush() throws IOException;
}
