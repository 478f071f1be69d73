package org.mirage4j.boot.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux system calls PID 1 needs: mount(2), open(2), write(2), close(2), ioctl(2),
 * setsid(2), finit_module(2) and reboot(2), on x86-64.
 *
 * <p>All of them go through one downcall handle to libc's variadic {@code syscall(3)}: under QEMU
 * TCG, making a downcall handle costs seconds for the first one and tenths of a second for each
 * further shape, while one handle serves every call. Arguments are passed as {@code long}s
 * (pointers by their address), as the kernel's calling convention wants them.
 *
 * <p>Each method throws {@link SyscallException} naming the call and its errno when the kernel
 * refuses. Not thread safe in the sense that calls are not coordinated; PID 1 calls these from its
 * main thread only.
 */
public final class Syscalls {

    // x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl).
    private static final long SYS_WRITE = 1;
    private static final long SYS_OPEN = 2;
    private static final long SYS_CLOSE = 3;
    private static final long SYS_IOCTL = 16;
    private static final long SYS_SETSID = 112;
    private static final long SYS_MOUNT = 165;
    private static final long SYS_REBOOT = 169;
    private static final long SYS_FINIT_MODULE = 313;

    /** open(2) flags. */
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_CLOEXEC = 0x80000;

    /** ioctl(2) request that waits until a terminal has sent its output when its argument is 1 (tcdrain(3)). */
    private static final long TCSBRK = 0x5409;
    /** ioctl(2) requests: read and set a terminal's struct termios; make it the caller's controlling terminal. */
    private static final long TCGETS = 0x5401;
    private static final long TCSETS = 0x5402;
    private static final long TIOCSCTTY = 0x540E;
    /** The size of the kernel's struct termios on x86-64 (four flag words, c_line, c_cc[19]). */
    public static final int TERMIOS_SIZE = 36;

    /** reboot(2) magic numbers and the power-off command (include/uapi/linux/reboot.h). */
    private static final long LINUX_REBOOT_MAGIC1 = 0xfee1deadL;
    private static final long LINUX_REBOOT_MAGIC2 = 0x28121969L;
    private static final long LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedcL;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final MethodHandle syscall;

    private Syscalls(MethodHandle syscall) {
        this.syscall = syscall;
    }

    /**
     * Links libc's {@code syscall(3)}. This is the expensive step (about 1.8 s under TCG before any
     * CDS or AOT cache); do it once.
     */
    public static Syscalls link() {
        Linker linker = Linker.nativeLinker();
        MemorySegment address = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new IllegalStateException("libc has no syscall(3) symbol"));
        ValueLayout.OfLong word = ValueLayout.JAVA_LONG;
        // long syscall(long number, ...) called with six variadic longs; the kernel ignores the unused ones.
        FunctionDescriptor numberAndSix = FunctionDescriptor.of(word, word, word, word, word, word, word, word);
        MethodHandle handle = linker.downcallHandle(address, numberAndSix,
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        return new Syscalls(handle);
    }

    /** mount(2): mounts {@code source} of file system {@code type} on {@code target}. */
    public void mount(String source, String target, String type, long flags, String data) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "mount " + type + " on " + target, SYS_MOUNT,
                    string(arena, source), string(arena, target), string(arena, type), flags, string(arena, data), 0);
        }
    }

    /** open(2): opens {@code path} with {@code flags} and returns the file descriptor. */
    public int open(String path, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(arena, "open " + path, SYS_OPEN, string(arena, path), flags, 0, 0, 0, 0);
        }
    }

    /** write(2) of all of {@code bytes}, retrying short writes. */
    public void write(int fd, byte[] bytes) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long done = 0;
            while (done < bytes.length) {
                done += call(arena, "write to fd " + fd, SYS_WRITE, fd, buffer.address() + done, bytes.length - done, 0, 0, 0);
            }
        }
    }

    /** close(2). */
    public void close(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "close fd " + fd, SYS_CLOSE, fd, 0, 0, 0, 0, 0);
        }
    }

    /** tcdrain(3): waits until the terminal open on {@code fd} has sent everything written to it. */
    public void drain(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "drain fd " + fd, SYS_IOCTL, fd, TCSBRK, 1, 0, 0, 0);
        }
    }

    /** setsid(2): makes the caller the leader of a new session with no controlling terminal. */
    public void setsid() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "setsid", SYS_SETSID, 0, 0, 0, 0, 0, 0);
        }
    }

    /** ioctl(TIOCSCTTY): makes the terminal open on {@code fd} the calling session leader's controlling terminal. */
    public void takeControllingTerminal(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "make fd " + fd + " the controlling terminal", SYS_IOCTL, fd, TIOCSCTTY, 0, 0, 0, 0);
        }
    }

    /** tcgetattr(3): the kernel's struct termios of the terminal open on {@code fd}, {@link #TERMIOS_SIZE} bytes. */
    public byte[] terminalSettings(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment termios = arena.allocate(TERMIOS_SIZE);
            call(arena, "read the settings of terminal fd " + fd, SYS_IOCTL, fd, TCGETS, termios.address(), 0, 0, 0);
            return termios.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** tcsetattr(3, TCSANOW): sets the struct termios of the terminal open on {@code fd}. */
    public void setTerminalSettings(int fd, byte[] termios) throws SyscallException {
        if (termios.length != TERMIOS_SIZE) throw new IllegalArgumentException("A struct termios has " + TERMIOS_SIZE + " bytes.");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment settings = arena.allocateFrom(ValueLayout.JAVA_BYTE, termios);
            call(arena, "set the settings of terminal fd " + fd, SYS_IOCTL, fd, TCSETS, settings.address(), 0, 0, 0);
        }
    }

    /** finit_module(2): loads the kernel module in the file open on {@code fd}, with no parameters. */
    public void loadModule(int fd, String name) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "load module " + name, SYS_FINIT_MODULE, fd, string(arena, ""), 0, 0, 0, 0);
        }
    }

    /** reboot(2) with LINUX_REBOOT_CMD_POWER_OFF: stops the machine; returns only on failure. */
    public void powerOff() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "power off", SYS_REBOOT, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
        }
    }

    private long call(Arena arena, String what, long number, long a, long b, long c, long d, long e, long f)
            throws SyscallException {
        MemorySegment state = arena.allocate(CALL_STATE); // captureCallState's errno lands here
        long result;
        try {
            result = (long) syscall.invokeExact(state, number, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new IllegalStateException("the syscall(3) downcall failed: " + what, t);
        }
        if (result == -1) throw new SyscallException(what, (int) ERRNO.get(state, 0L));
        return result;
    }

    private static long string(Arena arena, String s) {
        return s == null ? 0 : arena.allocateFrom(s).address();
    }
}
