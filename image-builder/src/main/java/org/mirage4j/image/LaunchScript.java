package org.mirage4j.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The text of {@code run.sh}, the image's launcher: QEMU with the kernel, the initramfs and the
 * {@code cmdline} file beside it, a virtio NIC on a tap device when asked, and the unikernel's
 * exit status as its own. The script is a resource of this package; only its name and default
 * memory are filled in.
 */
final class LaunchScript {

    private LaunchScript() {}

    /** The script for the unikernel {@code name}, giving the VM {@code memoryMb} MB unless told otherwise. */
    static String text(String name, int memoryMb) throws IOException {
        String template;
        try (InputStream in = LaunchScript.class.getResourceAsStream("run.sh")) {
            if (in == null) throw new IllegalStateException("run.sh is missing from the image builder's jar");
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!name.matches("[A-Za-z0-9_.$-]+")) throw new IllegalArgumentException("not a class name: " + name);
        return template.replace("@NAME@", name).replace("@MEMORY_MB@", Integer.toString(memoryMb));
    }
}
