package org.mirage4j.virtio.linux;

import java.io.IOException;
import java.io.Serial;

/** A system call returned -1; the message names the call, the file and the errno. */
public final class ErrnoException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    /** The error numbers callers tell apart (x86-64 values). */
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EPERM = 1;
    public static final int EINVAL = 22;

    private final int errno;

    ErrnoException(String what, int errno) {
        super(what + " failed: " + name(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    /** The errno the kernel returned. */
    public int errno() {
        return errno;
    }

    private static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM, operation not permitted";
            case ENOENT -> "ENOENT, no such file or directory";
            case EINTR -> "EINTR, interrupted";
            case 5 -> "EIO, input/output error";
            case 9 -> "EBADF, bad file descriptor";
            case 11 -> "EAGAIN, try again";
            case ENOMEM -> "ENOMEM, out of memory";
            case EACCES -> "EACCES, permission denied";
            case 14 -> "EFAULT, bad address";
            case 16 -> "EBUSY, device or resource busy";
            case 19 -> "ENODEV, no such device";
            case EINVAL -> "EINVAL, invalid argument";
            default -> "errno " + errno;
        };
    }
}
