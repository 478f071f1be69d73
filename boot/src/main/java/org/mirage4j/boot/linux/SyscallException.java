package org.mirage4j.boot.linux;

import java.io.IOException;
import java.io.Serial;

/** A system call returned -1; the message names the call and the errno. */
public final class SyscallException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    private final int errno;

    SyscallException(String what, int errno) {
        super(what + " failed: " + Errno.name(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    /** The errno the kernel returned. */
    public int errno() {
        return errno;
    }
}
