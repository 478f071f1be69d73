package org.mirage4j.virtio.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * One open file, through open(2): registers read and written with an exact width at an offset
 * (pread/pwrite, as a sysfs PCI {@code config} or I/O {@code resourceN} file wants them), a mapping
 * of it (mmap), and the {@code /dev/uioN} protocol (read or write one 32-bit count, poll for
 * input). Values are little-endian, as PCI and virtio registers are.
 *
 * <p>Register access is safe from several threads (pread and pwrite carry their own offset);
 * {@link #close()} must not race with other calls, which callers ensure.
 */
public final class NativeFile implements AutoCloseable {

    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0x40;
    private static final int O_SYNC = 0x101000;
    private static final int O_CLOEXEC = 0x80000;

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 0x01;
    private static final int MAP_LOCKED = 0x2000;
    private static final int MAP_POPULATE = 0x8000;

    private static final short POLLIN = 0x1;
    private static final long POLLFD_SIZE = 8; // int fd; short events; short revents

    private final String name;
    private final int fd;
    private boolean closed;

    private NativeFile(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Opens {@code path} read-only. */
    public static NativeFile openReadOnly(Path path) throws ErrnoException {
        return open(path, O_RDONLY | O_CLOEXEC);
    }

    /** Opens {@code path} for reading and writing. */
    public static NativeFile openReadWrite(Path path) throws ErrnoException {
        return open(path, O_RDWR | O_CLOEXEC);
    }

    /** Opens {@code path} for reading and writing with O_SYNC, which makes {@code /dev/mem} map uncached. */
    public static NativeFile openUncached(Path path) throws ErrnoException {
        return open(path, O_RDWR | O_SYNC | O_CLOEXEC);
    }

    /** Opens {@code path} for reading and writing, creating it (mode 0600) when missing. */
    public static NativeFile create(Path path) throws ErrnoException {
        return open(path, O_RDWR | O_CREAT | O_CLOEXEC);
    }

    private static NativeFile open(Path path, int flags) throws ErrnoException {
        String name = path.toString();
        try (Arena arena = Arena.ofConfined()) {
            long address = arena.allocateFrom(name).address();
            return new NativeFile(name, (int) Syscall.call("open " + name, Syscall.OPEN, address, flags, 0600, 0, 0, 0));
        }
    }

    /** The path this file was opened by. */
    public String name() {
        return name;
    }

    /** Reads the {@code width}-byte (1, 2, 4 or 8) little-endian value at {@code offset} with one pread(2). */
    public long read(long offset, int width) throws ErrnoException {
        checkWidth(width);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8, 8);
            long n = Syscall.call("pread " + width + " bytes at " + offset + " of " + name, Syscall.PREAD64, fd,
                    buffer.address(), width, offset, 0, 0);
            if (n != width) throw new ErrnoException("pread " + width + " bytes at " + offset + " of " + name + " (got " + n + ")", 5);
            return buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) & mask(width);
        }
    }

    /** Writes the low {@code width} (1, 2 or 4) bytes of {@code value}, little-endian, at {@code offset} with one pwrite(2). */
    public void write(long offset, int width, long value) throws ErrnoException {
        checkWidth(width);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8, 8);
            buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
            long n = Syscall.call("pwrite " + width + " bytes at " + offset + " of " + name, Syscall.PWRITE64, fd,
                    buffer.address(), width, offset, 0, 0);
            if (n != width) throw new ErrnoException("pwrite " + width + " bytes at " + offset + " of " + name + " (wrote " + n + ")", 5);
        }
    }

    /** Reads a 32-bit count with read(2), as {@code /dev/uioN} gives the number of interrupts so far. */
    public int readCount() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4, 4);
            Syscall.call("read " + name, Syscall.READ, fd, buffer.address(), 4, 0, 0, 0);
            return buffer.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Writes a 32-bit value with write(2), as {@code /dev/uioN} takes 1 to re-enable the interrupt. */
    public void writeCount(int value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4, 4);
            buffer.set(ValueLayout.JAVA_INT, 0, value);
            Syscall.call("write " + name, Syscall.WRITE, fd, buffer.address(), 4, 0, 0, 0);
        }
    }

    /**
     * Waits with poll(2) until the file has input or {@code timeoutMillis} pass.
     *
     * @return whether it has input (false also when a signal cut the wait short)
     */
    public boolean awaitInput(int timeoutMillis) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(POLLFD_SIZE, 4);
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            try {
                return Syscall.call("poll " + name, Syscall.POLL, pollfd.address(), 1, timeoutMillis, 0, 0, 0) > 0
                        && (pollfd.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0;
            } catch (ErrnoException e) {
                if (e.errno() == ErrnoException.EINTR) return false;
                throw e;
            }
        }
    }

    /**
     * Maps {@code length} bytes at {@code offset} shared, readable and writable (mmap(2)); the
     * mapping stays valid after this file is closed.
     *
     * @param populate fault every page in now and lock it in memory (MAP_POPULATE | MAP_LOCKED), as
     *     DMA memory needs; false for device registers
     */
    public Mapping map(long offset, long length, boolean populate) throws ErrnoException {
        int flags = MAP_SHARED | (populate ? MAP_POPULATE | MAP_LOCKED : 0);
        String what = "mmap " + length + " bytes at " + offset + " of " + name;
        long address = Syscall.call(what, Syscall.MMAP, 0, length, PROT_READ | PROT_WRITE, flags, fd, offset);
        return new Mapping(name + "@" + offset, address, length);
    }

    /** Closes the file; a second call does nothing. Does not throw. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            Syscall.call("close " + name, Syscall.CLOSE, fd, 0, 0, 0, 0, 0);
        } catch (ErrnoException e) {
            System.getLogger("virtio.linux").log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4 && width != 8) throw new IllegalArgumentException("width " + width);
    }

    private static long mask(int width) {
        return width == 8 ? -1L : (1L << (8 * width)) - 1;
    }
}
