package org.mirage4j.net.unix.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.mirage4j.net.unix.linux.ErrnoException.Call;

/**
 * A file descriptor attached to a tap interface ({@code IFF_TAP | IFF_NO_PI}: whole Ethernet
 * frames, no packet-information header), plus an eventfd that wakes the receive loop.
 *
 * <p>The descriptor is non-blocking: {@link #read} returns {@code -EAGAIN} when no frame is
 * waiting, and {@link #awaitReadable} blocks in {@code poll(2)} on both descriptors. That is how
 * {@link #wakeUp()} ends a wait at once: closing a descriptor that another thread is blocked on
 * does not wake that thread on Linux (its system call holds its own reference to the file), and a
 * poll timeout would delay every disconnect by up to the timeout and wake an idle device for
 * nothing. An eventfd is one descriptor and stays readable once written, so a wake-up that comes
 * before the wait is not lost.
 *
 * <p>Threads: {@link #read} and {@link #awaitReadable} belong to one thread at a time (the receive
 * loop); {@link #write} and {@link #wakeUp} may be called from any thread. The caller must make
 * sure no call is running or starts once {@link #close} is called, since the kernel reuses
 * descriptor numbers at once.
 */
public final class Tun implements AutoCloseable {

    /** Writers that can write at once without making an errno slot of their own. */
    private static final int WRITE_STATES = 8;

    private final int fd;
    private final int wakeFd;
    private final String name;
    private final int mtu;
    private final boolean persistent;
    /** Memory for the descriptor's lifetime: the receive loop's errno slot and two pollfds, and the writers' errno slots. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveState;
    private final MemorySegment pollFds;
    /**
     * errno slots for {@link #write}, reused from frame to frame (an arena per frame cost a malloc, a free and a
     * session each); {@code writeStateBusy} says which are taken. A writer that finds all taken makes its own.
     */
    private final MemorySegment[] writeStates = new MemorySegment[WRITE_STATES];
    private final AtomicIntegerArray writeStateBusy = new AtomicIntegerArray(WRITE_STATES);

    private Tun(int fd, int wakeFd, String name, int mtu, boolean persistent) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.name = name;
        this.mtu = mtu;
        this.persistent = persistent;
        this.receiveState = LibC.newCallState(arena);
        this.pollFds = arena.allocate(2 * LibC.POLLFD_SIZE, 8);
        for (int i = 0; i < WRITE_STATES; i++) writeStates[i] = LibC.newCallState(arena);
        pollFds.set(JAVA_INT, 0, fd);
        pollFds.set(JAVA_SHORT, 4, LibC.POLLIN);
        pollFds.set(JAVA_INT, LibC.POLLFD_SIZE, wakeFd);
        pollFds.set(JAVA_SHORT, LibC.POLLFD_SIZE + 4, LibC.POLLIN);
    }

    /**
     * Attaches to the tap interface {@code name} of the calling thread's network namespace,
     * creating it if it does not exist (a tap created here disappears when closed, unless someone
     * makes it persistent meanwhile).
     *
     * @param name an interface name the caller has checked: 1 to 15 bytes, no {@code /}
     * @throws ErrnoException if a call fails; {@link ErrnoException#call()} says which
     */
    public static Tun attach(String name) throws ErrnoException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(local);
            int fd = ErrnoException.check(
                    LibC.open(state, local.allocateFrom("/dev/net/tun"), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC),
                    Call.OPEN_TUN, "open /dev/net/tun");
            int wakeFd = -1;
            try {
                MemorySegment ifr = ifreq(local, name);
                ifr.set(JAVA_SHORT, LibC.IFREQ_UNION, (short) (LibC.IFF_TAP | LibC.IFF_NO_PI));
                ErrnoException.check(LibC.ioctl(state, fd, LibC.TUNSETIFF, ifr), Call.TUNSETIFF,
                        "attach to tap interface " + name);
                // The kernel writes back the name it used (it fills in patterns such as tap%d).
                String actual = ifr.getString(0, StandardCharsets.US_ASCII);

                MemorySegment info = local.allocate(LibC.IFREQ_SIZE, 8);
                ErrnoException.check(LibC.ioctl(state, fd, LibC.TUNGETIFF, info), Call.OTHER,
                        "read the flags of tap interface " + actual);
                boolean persistent = (info.get(JAVA_SHORT, LibC.IFREQ_UNION) & LibC.IFF_PERSIST) != 0;

                int mtu = interfaceMtu(local, state, actual);
                wakeFd = ErrnoException.check(LibC.eventfd(state, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC),
                        Call.OTHER, "create an eventfd");
                return new Tun(fd, wakeFd, actual, mtu, persistent);
            } catch (ErrnoException | RuntimeException e) {
                LibC.close(state, fd);
                if (wakeFd >= 0) LibC.close(state, wakeFd);
                throw e;
            }
        }
    }

    /** The interface's name, as the kernel has it. */
    public String name() {
        return name;
    }

    /** The interface's MTU when it was attached: the largest frame payload, Ethernet header excluded. */
    public int mtu() {
        return mtu;
    }

    /** Whether the interface outlives this descriptor (made with {@code ip tuntap add}). */
    public boolean persistent() {
        return persistent;
    }

    /**
     * Blocks until a frame may be read or {@link #wakeUp()} was called. Receive loop only.
     *
     * @return {@code false} once {@link #wakeUp()} has been called, {@code true} when the tap
     *     descriptor is readable or in error (a {@link #read} then says which)
     */
    public boolean awaitReadable() throws ErrnoException {
        while (true) {
            int ready = LibC.poll(receiveState, pollFds, 2, -1);
            if (ready == -Errno.EINTR) continue;
            ErrnoException.check(ready, Call.OTHER, "wait for frames on tap interface " + name);
            if (pollFds.get(JAVA_SHORT, LibC.POLLFD_SIZE + 6) != 0) return false;
            if (pollFds.get(JAVA_SHORT, 6) != 0) return true;
        }
    }

    /**
     * Reads one frame into {@code into} (which must be native memory, such as a direct buffer's).
     * Receive loop only.
     *
     * @return the frame's length, or {@code -errno}: {@code -EAGAIN} when no frame is waiting. Of
     *     a frame longer than {@code into} the kernel copies what fits and returns that size, so
     *     a result equal to {@code into}'s size may be a cut frame.
     */
    public long read(MemorySegment into) {
        long n;
        do {
            n = LibC.read(receiveState, fd, into);
        } while (n == -Errno.EINTR);
        return n;
    }

    /**
     * Sends one frame, the bytes of {@code frame} (native memory). Any thread.
     *
     * @return the bytes written, or {@code -errno} ({@code -EIO} while the interface is down)
     */
    public long write(MemorySegment frame) {
        for (int i = 0; i < WRITE_STATES; i++) {
            if (writeStateBusy.compareAndSet(i, 0, 1)) {
                try {
                    return write(writeStates[i], frame);
                } finally {
                    writeStateBusy.set(i, 0);
                }
            }
        }
        try (Arena local = Arena.ofConfined()) {
            return write(LibC.newCallState(local), frame);
        }
    }

    private long write(MemorySegment state, MemorySegment frame) {
        long n;
        do {
            n = LibC.write(state, fd, frame);
        } while (n == -Errno.EINTR);
        return n;
    }

    /** Makes the current and every later {@link #awaitReadable()} return {@code false}. Any thread. */
    public void wakeUp() {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment one = local.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            // Cannot fail short of a counter overflow after 2^64 - 2 wake-ups.
            LibC.write(LibC.newCallState(local), wakeFd, one);
        }
    }

    /** Closes both descriptors; a tap created by {@link #attach} and not made persistent disappears. */
    @Override
    public void close() {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(local);
            LibC.close(state, fd);
            LibC.close(state, wakeFd);
        }
        arena.close();
    }

    private static int interfaceMtu(Arena local, MemorySegment state, String name) throws ErrnoException {
        int socket = ErrnoException.check(LibC.socket(state, LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0),
                Call.OTHER, "open a socket to query tap interface " + name);
        try {
            MemorySegment ifr = ifreq(local, name);
            ErrnoException.check(LibC.ioctl(state, socket, LibC.SIOCGIFMTU, ifr), Call.OTHER,
                    "read the MTU of tap interface " + name);
            return ifr.get(JAVA_INT, LibC.IFREQ_UNION);
        } finally {
            LibC.close(state, socket);
        }
    }

    /** A zeroed {@code struct ifreq} whose {@code ifr_name} is {@code name}. */
    private static MemorySegment ifreq(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= LibC.IFNAMSIZ) {
            throw new IllegalArgumentException("Interface name '" + name + "' is longer than 15 bytes.");
        }
        MemorySegment ifr = arena.allocate(LibC.IFREQ_SIZE, 8);
        MemorySegment.copy(bytes, 0, ifr, JAVA_BYTE, 0, bytes.length);
        return ifr;
    }
}
