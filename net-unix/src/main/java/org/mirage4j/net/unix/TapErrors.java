package org.mirage4j.net.unix;

import static org.mirage4j.net.unix.linux.Errno.EACCES;
import static org.mirage4j.net.unix.linux.Errno.EBADFD;
import static org.mirage4j.net.unix.linux.Errno.EBUSY;
import static org.mirage4j.net.unix.linux.Errno.EINVAL;
import static org.mirage4j.net.unix.linux.Errno.ENODEV;
import static org.mirage4j.net.unix.linux.Errno.ENOENT;
import static org.mirage4j.net.unix.linux.Errno.ENXIO;
import static org.mirage4j.net.unix.linux.Errno.EPERM;

import java.io.IOException;
import org.mirage4j.api.DeviceException;
import org.mirage4j.net.unix.linux.Errno;
import org.mirage4j.net.unix.linux.ErrnoException;

/**
 * Turns a failed system call into the one sentence a user needs: what went wrong and the command
 * that fixes it. Pure: no I/O.
 */
final class TapErrors {

    private TapErrors() {}

    /**
     * The message for a failure to attach to a tap.
     *
     * @param interfaceName the tap asked for
     * @param netns the namespace asked for, or empty
     * @param user the user running the process, for the command that grants the permission
     */
    static DeviceException attachFailed(ErrnoException e, String interfaceName, String netns, String user) {
        int errno = e.errno();
        String ip = netns.isEmpty() ? "ip" : "ip -n " + netns;
        String grant = "`sudo " + ip + " tuntap add dev " + interfaceName + " mode tap user " + user + "`";
        String message = switch (e.call()) {
            case OPEN_TUN -> switch (errno) {
                case ENOENT, ENODEV, ENXIO ->
                        "The tun driver is missing (no /dev/net/tun): load it with `sudo modprobe tun` and try again.";
                case EACCES, EPERM -> "You may not open /dev/net/tun: run as root, or let your user open it"
                        + " (`sudo chmod 0666 /dev/net/tun`, the usual setting) and create the tap for your user with "
                        + grant + ".";
                default -> generic(e);
            };
            case TUNSETIFF -> switch (errno) {
                case EPERM -> "You may not create or attach to tap interface " + interfaceName
                        + ": create it for your user with " + grant + " and try again, or run as root.";
                case EBUSY -> "Tap interface " + interfaceName + " is busy: another process is attached to it;"
                        + " stop that process or choose another interface with --interface.";
                case EINVAL -> "Interface " + interfaceName + " exists but is not a single-queue tap device:"
                        + " choose another name with --interface.";
                default -> generic(e);
            };
            case OPEN_NETNS -> switch (errno) {
                case ENOENT -> "Network namespace " + netns + " does not exist: create it with `sudo ip netns add "
                        + netns + "` or leave --netns empty.";
                case EACCES, EPERM -> "You may not open network namespace " + netns
                        + ": run as root or leave --netns empty.";
                default -> generic(e);
            };
            case SETNS -> errno == EPERM
                    ? "Joining network namespace " + netns + " needs root (CAP_SYS_ADMIN): run as root or leave --netns empty."
                    : generic(e);
            case OTHER -> generic(e);
        };
        return new DeviceException(message, e);
    }

    /** The message when reading frames fails with {@code errno}. */
    static IOException readFailed(int errno, String interfaceName) {
        if (errno == EBADFD) {
            return new IOException("Tap interface " + interfaceName
                    + " was deleted while attached: recreate it (or let the device create it) and connect again.");
        }
        return new IOException("Reading a frame from tap interface " + interfaceName + " failed: "
                + Errno.text(errno) + " (errno " + errno + ").");
    }

    /** A failure no user action is known to fix: say which call failed, and how. */
    private static String generic(ErrnoException e) {
        return e.getMessage();
    }
}
