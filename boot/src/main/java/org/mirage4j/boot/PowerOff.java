package org.mirage4j.boot;

import java.nio.charset.StandardCharsets;
import org.mirage4j.boot.linux.SyscallException;
import org.mirage4j.boot.linux.Syscalls;

/**
 * Ends the VM: sends the console's last bytes, reports the exit status to the host and powers off.
 *
 * <p>The status travels as decimal digits and a newline on the second serial port,
 * {@value #STATUS_PORT}, which {@code run.sh} connects to a file. (QEMU's isa-debug-exit device
 * would need an {@code out} instruction or {@code /dev/port}, and Debian's kernel is built without
 * {@code CONFIG_DEVPORT}.) Without a second serial port the VM powers off all the same.
 */
final class PowerOff {

    /** The serial port that carries the exit status to the host. */
    static final String STATUS_PORT = "/dev/ttyS1";

    private static final int STDOUT = 1;
    private static final int STDERR = 2;

    private PowerOff() {}

    /** The bytes written to {@value #STATUS_PORT} for {@code status}, which is cut to 0..255 as a process status is. */
    static byte[] statusLine(int status) {
        return ((status & 0xff) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Never returns: flushes, reports {@code status} and powers off. Any thread may call it. */
    static void now(Syscalls syscalls, int status) {
        System.out.flush();
        System.err.flush();
        drainQuietly(syscalls, STDOUT); // the serial driver sends in the background: wait, or the last lines are lost
        drainQuietly(syscalls, STDERR);
        reportStatus(syscalls, status);
        try {
            syscalls.powerOff();
        } catch (SyscallException e) {
            System.err.println("boot: " + e.getMessage() + "; halting instead");
        }
        while (true) { // reboot(2) returned: nothing sensible is left to do, and PID 1 must not end
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // keep halting
            }
        }
    }

    private static void reportStatus(Syscalls syscalls, int status) {
        int fd;
        try {
            fd = syscalls.open(STATUS_PORT, Syscalls.O_WRONLY | Syscalls.O_NOCTTY | Syscalls.O_CLOEXEC);
        } catch (SyscallException e) {
            return; // no second serial port: the launcher is not run.sh and does not want the status
        }
        try {
            syscalls.write(fd, statusLine(status));
            syscalls.drain(fd);
        } catch (SyscallException e) {
            System.err.println("boot: could not report exit status " + status + ": " + e.getMessage());
        } finally {
            try {
                syscalls.close(fd);
            } catch (SyscallException ignored) {
                // powering off next
            }
        }
    }

    private static void drainQuietly(Syscalls syscalls, int fd) {
        try {
            syscalls.drain(fd);
        } catch (SyscallException ignored) {
            // not a terminal (the host's stdout in a test): nothing to wait for
        }
    }
}
