package org.mirage4j.net.unix.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls this module needs, as FFM downcall handles, and the constants that go with
 * them (values of Linux on x86-64 and AArch64).
 *
 * <p>Every wrapper returns what the call returns, or {@code -errno} when it fails, like the kernel
 * does: no exception and no allocation on the paths a frame takes, so the receive loop can treat
 * {@code -EAGAIN} as the normal end of a burst. {@link ErrnoException#check} turns a negative
 * result into an exception where a failure is exceptional.
 *
 * <p>Thread-safe. The {@code errno} of each call is captured in a segment the caller passes (see
 * {@link #newCallState}), because the JVM may itself clobber {@code errno} between two downcalls.
 */
final class LibC {

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final int CLONE_NEWNET = 0x4000_0000;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    /** {@code _IOW('T', 202, int)}: attach the file to a tun/tap interface, creating it if missing. */
    static final long TUNSETIFF = 0x4004_54caL;
    /** {@code _IOR('T', 210, unsigned int)}: the name and flags of the attached interface. */
    static final long TUNGETIFF = 0x8004_54d2L;
    static final long SIOCGIFMTU = 0x8921L;
    /** {@code _IOW('T', 208, unsigned int)}: which offloads the tap's Linux side may hand us (an int value, not a pointer). */
    static final long TUNSETOFFLOAD = 0x4004_54d0L;
    /** {@code _IOW('T', 216, int)}: the length of the virtio-net header in front of every frame (a pointer to an int). */
    static final long TUNSETVNETHDRSZ = 0x4004_54d8L;

    /** {@code TUNSETOFFLOAD} bits: partial checksums, and TCP/IPv4 segments larger than the MTU. */
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;

    static final short IFF_TAP = 0x0002;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_PERSIST = 0x0800;
    static final short IFF_NO_PI = 0x1000;
    /** Every frame, both ways, starts with a {@code struct virtio_net_hdr}. */
    static final short IFF_VNET_HDR = 0x4000;

    /** {@code IFNAMSIZ}: an interface name has at most 15 bytes and a terminating zero. */
    static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux: the name, then a 24-byte union. */
    static final long IFREQ_SIZE = 40;
    /** Offset of {@code ifr_flags} and {@code ifr_mtu} in {@code struct ifreq}. */
    static final long IFREQ_UNION = 16;
    /** {@code sizeof(struct pollfd)}: {@code int fd; short events; short revents}. */
    static final long POLLFD_SIZE = 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_VALUE = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    // read and write at a raw address (a long, which the C ABIs of x86-64 and AArch64 pass as they pass a pointer):
    // the frame path then makes no MemorySegment per call, which a pooled direct ByteBuf would otherwise need.
    private static final MethodHandle READ_AT = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE_AT = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private LibC() {}

    /** A segment to pass as {@code state} to the calls below; holds the {@code errno} of the last one. */
    static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int open(MemorySegment state, MemorySegment path, int flags) {
        try {
            return result((int) OPEN.invokeExact(state, path, flags, 0), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int close(MemorySegment state, int fd) {
        try {
            return result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long read(MemorySegment state, int fd, MemorySegment into) {
        try {
            return result((long) READ.invokeExact(state, fd, into, into.byteSize()), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long write(MemorySegment state, int fd, MemorySegment from) {
        try {
            return result((long) WRITE.invokeExact(state, fd, from, from.byteSize()), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code read(2)} into the {@code length} octets of native memory at {@code address}. */
    static long readAt(MemorySegment state, int fd, long address, long length) {
        try {
            return result((long) READ_AT.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(2)} of the {@code length} octets of native memory at {@code address}. */
    static long writeAt(MemorySegment state, int fd, long address, long length) {
        try {
            return result((long) WRITE_AT.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** An {@code ioctl} whose argument is a value, not a pointer (such as {@code TUNSETOFFLOAD}'s flags). */
    static int ioctlValue(MemorySegment state, int fd, long request, long value) {
        try {
            return result((int) IOCTL_VALUE.invokeExact(state, fd, request, value), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ioctl(MemorySegment state, int fd, long request, MemorySegment arg) {
        try {
            return result((int) IOCTL.invokeExact(state, fd, request, arg), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int poll(MemorySegment state, MemorySegment pollfds, long count, int timeoutMillis) {
        try {
            return result((int) POLL.invokeExact(state, pollfds, count, timeoutMillis), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int eventfd(MemorySegment state, int initialValue, int flags) {
        try {
            return result((int) EVENTFD.invokeExact(state, initialValue, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int setns(MemorySegment state, int fd, int namespaceType) {
        try {
            return result((int) SETNS.invokeExact(state, fd, namespaceType), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The C library's text for an error number, such as "Device or resource busy". */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            // strerror returns a zero-terminated string of unknown length; 1 KiB bounds the scan.
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static int result(int returned, MemorySegment state) {
        return returned == -1 ? -(int) ERRNO.get(state, 0L) : returned;
    }

    private static long result(long returned, MemorySegment state) {
        return returned == -1 ? -(int) ERRNO.get(state, 0L) : returned;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO_OPTION;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, all);
    }

    /**
     * A downcall handle throws no checked exception; what it may throw (an error of the JVM, a
     * wrong segment) is passed on unchanged.
     */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException e) return e;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("A C library downcall threw " + t, t);
    }
}
