package org.mirage4j.virtio.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Memory mapped with mmap(2): device registers or huge pages. {@link #close()} unmaps it, after which
 * {@link #segment()} throws instead of touching unmapped memory. Thread-safe.
 */
public final class Mapping implements AutoCloseable {

    private final String what;
    private final long address;
    private final long length;
    private final Arena arena = Arena.ofShared(); // closing it invalidates the segment before munmap
    private final MemorySegment segment;
    private boolean closed;

    Mapping(String what, long address, long length) {
        this.what = what;
        this.address = address;
        this.length = length;
        this.segment = MemorySegment.ofAddress(address).reinterpret(length, arena, null);
    }

    /** The mapped memory; invalid after {@link #close()}. */
    public MemorySegment segment() {
        return segment;
    }

    /** Unmaps it; a second call does nothing. Does not throw. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        arena.close();
        try {
            Syscall.call("munmap " + what, Syscall.MUNMAP, address, length, 0, 0, 0, 0);
        } catch (ErrnoException e) {
            System.getLogger("virtio.linux").log(System.Logger.Level.WARNING, e.getMessage());
        }
    }
}
