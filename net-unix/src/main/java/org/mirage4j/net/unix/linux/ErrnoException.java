package org.mirage4j.net.unix.linux;

import java.io.IOException;
import java.io.Serial;

/**
 * A system call failed. Carries which call and its {@code errno}, so that callers can turn the
 * failures a user can fix into a sentence that says what to do.
 */
public final class ErrnoException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    /** The calls whose failures mean different things to a user. */
    public enum Call {
        /** {@code open("/dev/net/tun")}. */
        OPEN_TUN,
        /** {@code ioctl(TUNSETIFF)}: create or attach to the tap interface. */
        TUNSETIFF,
        /** {@code open("/var/run/netns/NAME")}. */
        OPEN_NETNS,
        /** {@code setns(CLONE_NEWNET)}. */
        SETNS,
        /** Any other call: querying the interface, polling, reading, writing. */
        OTHER
    }

    private final Call call;
    private final int errno;

    /**
     * @param call which call failed
     * @param what what it was for, to follow "Could not", such as "open /dev/net/tun"
     * @param errno its error number
     */
    public ErrnoException(Call call, String what, int errno) {
        super("Could not " + what + ": " + Errno.text(errno) + " (errno " + errno + ").");
        this.call = call;
        this.errno = errno;
    }

    /** Throws if {@code result} is a negated {@code errno}, as {@link LibC}'s wrappers return them; else returns it. */
    static long check(long result, Call call, String what) throws ErrnoException {
        if (result < 0) throw new ErrnoException(call, what, (int) -result);
        return result;
    }

    /** As {@link #check(long, Call, String)} for calls that return an {@code int}. */
    static int check(int result, Call call, String what) throws ErrnoException {
        if (result < 0) throw new ErrnoException(call, what, -result);
        return result;
    }

    /** Which call failed. */
    public Call call() {
        return call;
    }

    /** The error number it failed with, such as {@link Errno#EBUSY}. */
    public int errno() {
        return errno;
    }
}
