package org.mirage4j.boot;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.mirage4j.boot.linux.SyscallException;
import org.mirage4j.boot.linux.Syscalls;

/**
 * Makes the VM's console the controlling terminal of PID 1, so that Ctrl-\ typed into {@code run.sh}'s console
 * sends SIGQUIT and the JVM prints every thread's stack on the console, as {@code kill -3} does for a JVM on a
 * host: the one way to see where a running unikernel's threads wait.
 *
 * <p>The kernel gives init the console without making it a controlling terminal, so no key reaches it as a signal.
 * Taking it would also make Ctrl-C (SIGINT) and Ctrl-Z (SIGTSTP) signals: Ctrl-C would end the JVM, and PID 1
 * ending is a kernel panic. Those two characters are therefore switched off (termios(3): a control character of
 * {@code _POSIX_VDISABLE}, 0 on Linux) and stay plain input; QEMU's Ctrl-A x stops the VM.
 */
final class ConsoleTerminal {

    private static final Logger LOG = System.getLogger("boot");
    private static final String CONSOLE = "/dev/console";

    /** Offsets in the kernel's struct termios (x86-64): c_lflag, then c_cc after c_line. */
    private static final int C_LFLAG = 12;
    private static final int C_CC = 17;
    /** c_lflag: generate signals for INTR, QUIT and SUSP. */
    private static final int ISIG = 0x1;
    /** c_cc indices (asm-generic/termbits.h). */
    private static final int VINTR = 0;
    private static final int VQUIT = 1;
    private static final int VSUSP = 10;
    /** Ctrl-\, the character that sends SIGQUIT. */
    static final byte CTRL_BACKSLASH = 0x1c;

    private ConsoleTerminal() {}

    /** As PID 1: takes the console as controlling terminal with only Ctrl-\ as a signal key; logs and goes on if it cannot. */
    static void acquire(Syscalls syscalls) {
        try {
            syscalls.setsid();
            int fd = syscalls.open(CONSOLE, Syscalls.O_RDWR | Syscalls.O_CLOEXEC);
            try {
                syscalls.takeControllingTerminal(fd);
                syscalls.setTerminalSettings(fd, quitOnly(syscalls.terminalSettings(fd)));
            } finally {
                syscalls.close(fd); // the session keeps the terminal
            }
        } catch (SyscallException e) {
            LOG.log(Level.DEBUG, () -> "Ctrl-\\ will not print thread stacks: " + e.getMessage());
        }
    }

    /** {@code termios} with signals on, Ctrl-\ as QUIT and no INTR or SUSP character; the argument is not changed. */
    static byte[] quitOnly(byte[] termios) {
        byte[] out = termios.clone();
        int lflag = (out[C_LFLAG] & 0xff) | ISIG; // ISIG is in the low byte of the little-endian word
        out[C_LFLAG] = (byte) lflag;
        out[C_CC + VQUIT] = CTRL_BACKSLASH;
        out[C_CC + VINTR] = 0;
        out[C_CC + VSUSP] = 0;
        return out;
    }
}
