package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs PCI bus in a temporary directory, with regular files where sysfs has attributes: the
 * transports' reads and writes land in them, and the tests read them back as a device would.
 */
final class FakeSysfs {

    final Path bus;
    final Path dev;

    FakeSysfs(Path root) throws IOException {
        bus = Files.createDirectories(root.resolve("sys/bus/pci"));
        dev = Files.createDirectories(root.resolve("dev"));
        Files.createDirectories(bus.resolve("devices"));
    }

    /** Makes uio_pci_generic "loaded": its directory and bind file exist. */
    FakeSysfs withUioDriver() throws IOException {
        Path driver = Files.createDirectories(bus.resolve("drivers").resolve(UioBinding.DRIVER));
        Files.writeString(driver.resolve("bind"), "");
        return this;
    }

    /** Adds a function; {@code uio} names its uio device ({@code uio0}) or is null for none. */
    Path function(String address, int vendor, int device, int subsystem, byte[] config, String uio) throws IOException {
        Path dir = Files.createDirectories(bus.resolve("devices").resolve(address));
        Files.writeString(dir.resolve("vendor"), String.format("0x%04x%n", vendor));
        Files.writeString(dir.resolve("device"), String.format("0x%04x%n", device));
        Files.writeString(dir.resolve("subsystem_device"), String.format("0x%04x%n", subsystem));
        Files.write(dir.resolve("config"), config);
        Files.writeString(dir.resolve("driver_override"), "(null)\n");
        if (uio != null) {
            Files.createDirectories(dir.resolve("uio").resolve(uio));
            Files.write(dev.resolve(uio), new byte[4]);
        }
        return dir;
    }

    /** Gives the function at {@code dir} a BAR of {@code size} zero bytes. */
    static Path bar(Path dir, int index, int size) throws IOException {
        return Files.write(dir.resolve("resource" + index), new byte[size]);
    }

    /** The little-endian value of {@code width} bytes at {@code offset} of {@code file}. */
    static long read(Path file, int offset, int width) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        return switch (width) {
            case 1 -> b.get(offset) & 0xff;
            case 2 -> b.getShort(offset) & 0xffff;
            case 4 -> b.getInt(offset) & 0xffff_ffffL;
            default -> b.getLong(offset);
        };
    }

    /** Writes {@code width} little-endian bytes of {@code value} at {@code offset} of {@code file}, as the device would. */
    static void write(Path file, int offset, int width, long value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < width; i++) bytes[offset + i] = (byte) (value >>> (8 * i));
        Files.write(file, bytes);
    }
}
