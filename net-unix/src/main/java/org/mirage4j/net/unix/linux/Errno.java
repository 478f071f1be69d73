package org.mirage4j.net.unix.linux;

/** The Linux error numbers this module tells apart (the values of x86-64 and AArch64). */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EBADFD = 77;
    public static final int ENOBUFS = 105;

    private Errno() {}

    /** The C library's text for {@code errno}, such as "Device or resource busy". */
    public static String text(int errno) {
        return LibC.strerror(errno);
    }
}
