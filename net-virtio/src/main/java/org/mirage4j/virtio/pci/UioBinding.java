package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Hands a PCI function to {@code uio_pci_generic}, whose {@code /dev/uioN} carries its interrupts:
 * unbinds whatever driver has it, then {@code driver_override} and {@code bind} (the kernel's
 * Documentation/ABI/testing/sysfs-bus-pci). Without the uio_pci_generic driver (module not loaded)
 * the function stays unbound and is driven by polling.
 *
 * @param bus sysfs's {@code /sys/bus/pci} (a temporary tree in tests)
 * @param dev where device nodes are, {@code /dev}
 */
record UioBinding(Path bus, Path dev) {

    static final String DRIVER = "uio_pci_generic";
    private static final Logger LOG = System.getLogger("virtio.pci");

    /** The machine's sysfs and /dev. */
    static UioBinding system() {
        return new UioBinding(Path.of("/sys/bus/pci"), Path.of("/dev"));
    }

    /** The directory of each PCI function. */
    Path devices() {
        return bus.resolve("devices");
    }

    /**
     * Binds {@code function} to uio_pci_generic unless it is already.
     *
     * @return its uio device node, or empty when uio_pci_generic is not available
     * @throws IOException when sysfs refuses the unbind or the bind
     */
    Optional<Path> bind(PciFunction function) throws IOException {
        Path driverDir = bus.resolve("drivers").resolve(DRIVER);
        Path current = function.directory().resolve("driver");
        if (Files.exists(current)) {
            Path driver = current.toRealPath();
            if (driver.getFileName().toString().equals(DRIVER)) return uioNode(function);
            LOG.log(Level.INFO, () -> "unbinding " + function.address() + " from " + driver.getFileName());
            Files.writeString(driver.resolve("unbind"), function.address());
        }
        if (!Files.isDirectory(driverDir)) {
            LOG.log(Level.INFO, () -> DRIVER + " is not loaded: polling " + function.address());
            return Optional.empty();
        }
        Files.writeString(function.directory().resolve("driver_override"), DRIVER);
        Files.writeString(driverDir.resolve("bind"), function.address());
        return uioNode(function);
    }

    /** The {@code /dev/uioN} of a function bound to uio: sysfs lists it as {@code uio/uioN}. */
    private Optional<Path> uioNode(PciFunction function) throws IOException {
        Path uio = function.directory().resolve("uio");
        if (!Files.isDirectory(uio)) return Optional.empty();
        try (Stream<Path> list = Files.list(uio)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("uio")).sorted().findFirst()
                    .map(dev::resolve).filter(Files::exists);
        }
    }
}
