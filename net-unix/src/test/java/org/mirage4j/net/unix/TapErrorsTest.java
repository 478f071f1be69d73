package org.mirage4j.net.unix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mirage4j.api.DeviceException;
import org.mirage4j.net.unix.linux.Errno;
import org.mirage4j.net.unix.linux.ErrnoException;
import org.mirage4j.net.unix.linux.ErrnoException.Call;

/** The sentence a user reads for each failure; needs neither root nor a tap. */
class TapErrorsTest {

    private static String message(Call call, int errno, String netns) {
        DeviceException e = TapErrors.attachFailed(new ErrnoException(call, "do it", errno), "tap7", netns, "alice");
        assertThat(e.getCause()).isInstanceOf(ErrnoException.class);
        return e.getMessage();
    }

    private static String message(Call call, int errno) {
        return message(call, errno, "");
    }

    @Test
    void missingTunDriverSaysToLoadTheModule() {
        String expected = "The tun driver is missing (no /dev/net/tun): load it with `sudo modprobe tun` and try again.";
        assertThat(message(Call.OPEN_TUN, Errno.ENOENT)).isEqualTo(expected);
        assertThat(message(Call.OPEN_TUN, Errno.ENODEV)).isEqualTo(expected);
        assertThat(message(Call.OPEN_TUN, Errno.ENXIO)).isEqualTo(expected);
    }

    @Test
    void noPermissionOnTheDeviceGivesTheCommandsForThisUserAndInterface() {
        String expected = "You may not open /dev/net/tun: run as root, or let your user open it"
                + " (`sudo chmod 0666 /dev/net/tun`, the usual setting) and create the tap for your user with"
                + " `sudo ip tuntap add dev tap7 mode tap user alice`.";
        assertThat(message(Call.OPEN_TUN, Errno.EACCES)).isEqualTo(expected);
        assertThat(message(Call.OPEN_TUN, Errno.EPERM)).isEqualTo(expected);
    }

    @Test
    void noPermissionOnTheInterfaceGivesTheCommandForThisUserAndInterface() {
        assertThat(message(Call.TUNSETIFF, Errno.EPERM)).isEqualTo(
                "You may not create or attach to tap interface tap7: create it for your user with"
                        + " `sudo ip tuntap add dev tap7 mode tap user alice` and try again, or run as root.");
        assertThat(message(Call.TUNSETIFF, Errno.EPERM, "lab")).contains("`sudo ip -n lab tuntap add dev tap7 mode tap user alice`");
    }

    @Test
    void busyInterfaceSaysAnotherProcessHasIt() {
        assertThat(message(Call.TUNSETIFF, Errno.EBUSY)).isEqualTo(
                "Tap interface tap7 is busy: another process is attached to it;"
                        + " stop that process or choose another interface with --interface.");
    }

    @Test
    void anInterfaceOfAnotherKindIsNamed() {
        assertThat(message(Call.TUNSETIFF, Errno.EINVAL)).isEqualTo(
                "Interface tap7 exists but is not a single-queue tap device: choose another name with --interface.");
    }

    @Test
    void namespaceProblemsSayHowToMakeOrLeaveIt() {
        assertThat(message(Call.OPEN_NETNS, Errno.ENOENT, "lab")).isEqualTo(
                "Network namespace lab does not exist: create it with `sudo ip netns add lab` or leave --netns empty.");
        assertThat(message(Call.OPEN_NETNS, Errno.EACCES, "lab")).isEqualTo(
                "You may not open network namespace lab: run as root or leave --netns empty.");
        assertThat(message(Call.SETNS, Errno.EPERM, "lab")).isEqualTo(
                "Joining network namespace lab needs root (CAP_SYS_ADMIN): run as root or leave --netns empty.");
    }

    @Test
    void otherFailuresNameTheCallAndTheErrorText() {
        // The error text is the C library's, in the process's locale.
        assertThat(message(Call.TUNSETIFF, Errno.ENOMEM)).isEqualTo("Could not do it: " + Errno.text(Errno.ENOMEM) + " (errno 12).");
        assertThat(message(Call.OTHER, Errno.EBUSY)).isEqualTo("Could not do it: " + Errno.text(Errno.EBUSY) + " (errno 16).");
    }

    @Test
    void readFailures() {
        assertThat(TapErrors.readFailed(Errno.EBADFD, "tap7")).hasMessage(
                "Tap interface tap7 was deleted while attached: recreate it (or let the device create it) and connect again.");
        assertThat(TapErrors.readFailed(Errno.EIO, "tap7")).hasMessage(
                "Reading a frame from tap interface tap7 failed: " + Errno.text(Errno.EIO) + " (errno 5).");
    }
}
