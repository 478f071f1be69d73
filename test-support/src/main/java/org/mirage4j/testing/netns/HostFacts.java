package org.mirage4j.testing.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this process may do with networking: its effective capabilities, and whether the
 * {@code ip} command and {@code /dev/net/tun} are there.
 *
 * @param effectiveCapabilities the {@code CapEff} bit mask of {@code /proc/self/status}
 * @param hasIp whether iproute2's {@code ip} is installed
 * @param hasTun whether {@code /dev/net/tun} exists
 */
record HostFacts(long effectiveCapabilities, boolean hasIp, boolean hasTun) {

    /** {@code CAP_NET_ADMIN}: create interfaces and configure them. */
    static final int CAP_NET_ADMIN = 12;
    /** {@code CAP_SYS_ADMIN}: create, join and mount network namespaces. */
    static final int CAP_SYS_ADMIN = 21;

    /** The facts of this process and machine. */
    static HostFacts probe() {
        return new HostFacts(readEffectiveCapabilities(Path.of("/proc/self/status")), Commands.findIp().isPresent(),
                Files.exists(Path.of("/dev/net/tun")));
    }

    /**
     * What is missing, as the end of a sentence that starts "This test", or empty if nothing is.
     */
    Optional<String> missing() {
        List<String> needs = new ArrayList<>();
        if (!hasCapability(CAP_NET_ADMIN) || !hasCapability(CAP_SYS_ADMIN)) {
            needs.add("needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to make network namespaces and taps, so run it as root");
        }
        if (!hasIp) needs.add("needs the ip command (install the Debian package iproute2)");
        if (!hasTun) needs.add("needs /dev/net/tun (load the tun module with `sudo modprobe tun`)");
        return needs.isEmpty() ? Optional.empty() : Optional.of(String.join("; it also ", needs));
    }

    boolean hasCapability(int capability) {
        return (effectiveCapabilities & (1L << capability)) != 0;
    }

    /** The {@code CapEff} mask of a {@code /proc/PID/status} file, or 0 if it cannot be read. */
    static long readEffectiveCapabilities(Path status) {
        try {
            return parseEffectiveCapabilities(Files.readAllLines(status));
        } catch (IOException e) {
            return 0;
        }
    }

    /** The {@code CapEff} mask among the lines of a {@code /proc/PID/status} file, or 0 if absent. */
    static long parseEffectiveCapabilities(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("CapEff:")) {
                try {
                    return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
