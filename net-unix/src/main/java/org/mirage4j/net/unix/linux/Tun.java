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
 * <p>Where the kernel allows it, the descriptor is attached with {@code IFF_VNET_HDR} and a
 * {@value #VNET_HEADER_LENGTH}-octet header ({@link #vnetHeaderLength()}): every frame read or
 * written then starts with a {@code struct virtio_net_hdr_v1}. The 12-octet version 1 layout (not
 * the legacy 10-octet one) is what a virtio 1.x device uses too, so the stack reads and writes one
 * layout whatever the device. {@link #setOffload} then lets the kernel hand us partial checksums
 * and TCP segments above the MTU. Without offloads on, the header says nothing a plain reader
 * needs: the kernel writes flags 0 (or "checksum verified") and takes an all-zero header as "an
 * ordinary frame".
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
    /** The virtio-net header in front of each frame when attached with {@code IFF_VNET_HDR}. */
    public static final int VNET_HEADER_LENGTH = 12;

    private final int fd;
    private final int wakeFd;
    private final String name;
    private final int mtu;
    private final boolean persistent;
    private final int vnetHeaderLength;
    /** The header length a tap has until someone sets another: the legacy virtio_net_hdr without num_buffers. */
    private static final int DEFAULT_VNET_HEADER_LENGTH = 10;
    /** Whether {@link #setOffload} turned offloads on, so that {@link #close} turns them off for the next user. */
    private volatile boolean offloading;
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

    private Tun(int fd, int wakeFd, String name, int mtu, boolean persistent, int vnetHeaderLength) {
        this.vnetHeaderLength = vnetHeaderLength;
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
     * makes it persistent meanwhile). Attaches with a virtio-net header in front of each frame
     * unless the kernel refuses it; then with plain frames ({@link #vnetHeaderLength()} is 0).
     *
     * @param name an interface name the caller has checked: 1 to 15 bytes, no {@code /}
     * @throws ErrnoException if a call fails; {@link ErrnoException#call()} says which
     */
    public static Tun attach(String name) throws ErrnoException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(local);
            int fd = openTun(local, state);
            int wakeFd = -1;
            try {
                short plain = (short) (LibC.IFF_TAP | LibC.IFF_NO_PI);
                MemorySegment ifr = ifreq(local, name);
                ifr.set(JAVA_SHORT, LibC.IFREQ_UNION, (short) (plain | LibC.IFF_VNET_HDR));
                int attached = LibC.ioctl(state, fd, LibC.TUNSETIFF, ifr);
                int headerLength = 0;
                if (attached == 0) {
                    // The header's length is the interface's setting, made once attached (the kernel's default is the
                    // legacy 10 octets). A kernel that refuses 12 gets a fresh file and plain frames.
                    MemorySegment length = local.allocate(JAVA_INT);
                    length.set(JAVA_INT, 0, VNET_HEADER_LENGTH);
                    if (LibC.ioctl(state, fd, LibC.TUNSETVNETHDRSZ, length) == 0) {
                        headerLength = VNET_HEADER_LENGTH;
                        // No offloads until setOffload: a persistent tap keeps those of its last user, and one that
                        // died without turning them off would have the kernel hand us partial checksums unasked.
                        LibC.ioctlValue(state, fd, LibC.TUNSETOFFLOAD, 0);
                    } else {
                        LibC.close(state, fd);
                        fd = openTun(local, state);
                        attached = -Errno.EINVAL;
                    }
                }
                if (attached == -Errno.EINVAL) { // no IFF_VNET_HDR in this kernel (or no 12-octet header): plain frames
                    ifr = ifreq(local, name);
                    ifr.set(JAVA_SHORT, LibC.IFREQ_UNION, plain);
                    attached = LibC.ioctl(state, fd, LibC.TUNSETIFF, ifr);
                }
                ErrnoException.check(attached, Call.TUNSETIFF, "attach to tap interface " + name);
                // The kernel writes back the name it used (it fills in patterns such as tap%d).
                String actual = ifr.getString(0, StandardCharsets.US_ASCII);

                MemorySegment info = local.allocate(LibC.IFREQ_SIZE, 8);
                ErrnoException.check(LibC.ioctl(state, fd, LibC.TUNGETIFF, info), Call.OTHER,
                        "read the flags of tap interface " + actual);
                boolean persistent = (info.get(JAVA_SHORT, LibC.IFREQ_UNION) & LibC.IFF_PERSIST) != 0;

                int mtu = interfaceMtu(local, state, actual);
                wakeFd = ErrnoException.check(LibC.eventfd(state, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC),
                        Call.OTHER, "create an eventfd");
                return new Tun(fd, wakeFd, actual, mtu, persistent, headerLength);
            } catch (ErrnoException | RuntimeException e) {
                LibC.close(state, fd);
                if (wakeFd >= 0) LibC.close(state, wakeFd);
                throw e;
            }
        }
    }

    private static int openTun(Arena local, MemorySegment state) throws ErrnoException {
        return ErrnoException.check(
                LibC.open(state, local.allocateFrom("/dev/net/tun"), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC),
                Call.OPEN_TUN, "open /dev/net/tun");
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

    /** The virtio-net header's length in front of every frame: {@value #VNET_HEADER_LENGTH}, or 0 for plain frames. */
    public int vnetHeaderLength() {
        return vnetHeaderLength;
    }

    /**
     * Sets which offloads the kernel may use in the frames it hands us ({@code TUNSETOFFLOAD}):
     * partial checksums, and with them TCP/IPv4 segments of up to 64 KiB. Needs the virtio-net
     * header. Any thread, before frames flow.
     *
     * @param checksum hand us partial checksums ({@code TUN_F_CSUM})
     * @param tcpSegments hand us TCP/IPv4 segments above the MTU ({@code TUN_F_TSO4}); needs {@code checksum}
     * @return 0, or {@code -errno} ({@code -EINVAL} from a kernel that knows no such offload)
     */
    public int setOffload(boolean checksum, boolean tcpSegments) {
        if (vnetHeaderLength == 0) return -Errno.EINVAL;
        int flags = (checksum ? LibC.TUN_F_CSUM : 0) | (checksum && tcpSegments ? LibC.TUN_F_TSO4 : 0);
        try (Arena local = Arena.ofConfined()) {
            int result = LibC.ioctlValue(LibC.newCallState(local), fd, LibC.TUNSETOFFLOAD, flags);
            if (result == 0) offloading = flags != 0;
            return result;
        }
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
     * {@link #read(MemorySegment)} into the {@code length} octets of native memory at {@code address}
     * (a direct buffer's, which the caller keeps alive for the call), without a segment per call.
     */
    public long read(long address, long length) {
        long n;
        do {
            n = LibC.readAt(receiveState, fd, address, length);
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

    /**
     * {@link #write(MemorySegment)} of the {@code length} octets of native memory at {@code address}
     * (a direct buffer's, which the caller keeps alive for the call), without a segment per call.
     */
    public long write(long address, long length) {
        for (int i = 0; i < WRITE_STATES; i++) {
            if (writeStateBusy.compareAndSet(i, 0, 1)) {
                try {
                    return writeAt(writeStates[i], address, length);
                } finally {
                    writeStateBusy.set(i, 0);
                }
            }
        }
        try (Arena local = Arena.ofConfined()) {
            return writeAt(LibC.newCallState(local), address, length);
        }
    }

    private long writeAt(MemorySegment state, long address, long length) {
        long n;
        do {
            n = LibC.writeAt(state, fd, address, length);
        } while (n == -Errno.EINTR);
        return n;
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
            // The offloads are the interface's, not the file's: a persistent tap would keep them for a next user
            // that reads plain frames, to whom the kernel would then hand partial checksums.
            if (offloading) LibC.ioctlValue(state, fd, LibC.TUNSETOFFLOAD, 0);
            if (vnetHeaderLength != 0) {
                // The header length is the interface's too: back to the kernel's default for the next user.
                MemorySegment length = local.allocate(JAVA_INT);
                length.set(JAVA_INT, 0, DEFAULT_VNET_HEADER_LENGTH);
                LibC.ioctl(state, fd, LibC.TUNSETVNETHDRSZ, length);
            }
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
