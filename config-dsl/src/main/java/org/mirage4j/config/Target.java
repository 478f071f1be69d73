package org.mirage4j.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a unikernel runs, chosen per build with {@code -Ptarget=unix} or {@code -Ptarget=kvm}. */
public enum Target {
    /** A process on a Unix host: host sockets or a tap device, standard output. */
    UNIX,
    /** A bootable image of its own under QEMU/KVM: virtio devices, serial console. */
    KVM;

    /** The target named {@code name} ({@code unix}, {@code kvm}). */
    public static Target parse(String name) {
        for (Target t : values()) {
            if (t.name().equalsIgnoreCase(name.strip())) return t;
        }
        throw new ConfigException("Unknown target '" + name + "': build with "
                + Arrays.stream(values()).map(t -> "-Ptarget=" + t.id()).collect(Collectors.joining(" or ")) + ".");
    }

    /** The name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
