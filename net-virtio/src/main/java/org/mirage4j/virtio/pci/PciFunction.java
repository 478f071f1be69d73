package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A virtio PCI function as sysfs shows it ({@code /sys/bus/pci/devices/0000:00:03.0}).
 *
 * @param directory its sysfs directory
 * @param deviceId its PCI device id
 * @param type its virtio device type (§5): the modern id minus 0x1040, or a transitional
 *     device's subsystem id (§4.1.2)
 */
record PciFunction(Path directory, int deviceId, int type) {

    static final int VIRTIO_VENDOR = 0x1af4;
    private static final int TRANSITIONAL_FIRST = 0x1000;
    private static final int TRANSITIONAL_LAST = 0x103f;
    private static final int MODERN_BASE = 0x1040;
    private static final int MODERN_LAST = 0x107f;

    /** The PCI address, such as {@code 0000:00:03.0}. */
    String address() {
        return directory.getFileName().toString();
    }

    /**
     * The virtio functions under {@code devices} (sysfs's {@code /sys/bus/pci/devices}), by address.
     * Functions whose id files are unreadable or malformed are not virtio devices we can drive.
     */
    static List<PciFunction> discover(Path devices) throws IOException {
        if (!Files.isDirectory(devices)) return List.of();
        List<PciFunction> found = new ArrayList<>();
        try (Stream<Path> list = Files.list(devices)) {
            for (Path dir : list.sorted().toList()) {
                try {
                    if (hexFile(dir.resolve("vendor")) != VIRTIO_VENDOR) continue;
                    int device = hexFile(dir.resolve("device"));
                    int type = virtioType(device, () -> hexFile(dir.resolve("subsystem_device")));
                    if (type > 0) found.add(new PciFunction(dir, device, type));
                } catch (IOException | NumberFormatException e) {
                    // not a function we understand: skip it
                }
            }
        }
        return found;
    }

    /** Reads a value to which the device id refers (the subsystem id); may fail. */
    interface IdReader {
        int read() throws IOException;
    }

    /** The virtio type of a device id of vendor 0x1af4, or 0 when it is not a virtio device (§4.1.2). */
    static int virtioType(int deviceId, IdReader subsystemId) throws IOException {
        if (deviceId >= MODERN_BASE && deviceId <= MODERN_LAST) return deviceId - MODERN_BASE;
        if (deviceId >= TRANSITIONAL_FIRST && deviceId <= TRANSITIONAL_LAST) return subsystemId.read();
        return 0;
    }

    /** A sysfs id file: {@code 0x1af4} and a newline. */
    static int hexFile(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (text.startsWith("0x") || text.startsWith("0X")) text = text.substring(2);
        return Integer.parseInt(text, 16);
    }
}
