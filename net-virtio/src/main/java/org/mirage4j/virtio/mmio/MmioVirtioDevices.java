package org.mirage4j.virtio.mmio;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.linux.ErrnoException;
import org.mirage4j.virtio.linux.Mapping;
import org.mirage4j.virtio.linux.NativeFile;
import org.mirage4j.virtio.linux.Registers;

/**
 * The virtio-mmio devices of this machine, their registers mapped through {@code /dev/mem}
 * (Debian's kernel has CONFIG_IO_STRICT_DEVMEM, which allows I/O memory that no driver claims;
 * the image loads no virtio_mmio driver). Devices are those the kernel command line describes, or,
 * on a machine without PCI, the slots of QEMU's microvm machine; probing a slot reads only its
 * magic, version and device id. Thread-safe.
 */
public final class MmioVirtioDevices {

    private static final Logger LOG = System.getLogger("virtio.mmio");
    private static final long PAGE = 4096;

    /** A virtio-mmio device: the physical address of its registers and its virtio device type. */
    public record Found(long address, long size, int type) {}

    private final Path memory;
    private final Path cmdline;
    private final Path pciDevices;

    /**
     * Over other files than the machine's, as tests make them.
     *
     * @param memory the physical memory device, {@code /dev/mem}
     * @param cmdline the kernel command line, {@code /proc/cmdline}
     * @param pciDevices sysfs's {@code /sys/bus/pci/devices}
     */
    public MmioVirtioDevices(Path memory, Path cmdline, Path pciDevices) {
        this.memory = memory;
        this.cmdline = cmdline;
        this.pciDevices = pciDevices;
    }

    /** The machine's: {@code /dev/mem}, {@code /proc/cmdline}, {@code /sys/bus/pci/devices}. */
    public static MmioVirtioDevices system() {
        return new MmioVirtioDevices(Path.of("/dev/mem"), Path.of("/proc/cmdline"), Path.of("/sys/bus/pci/devices"));
    }

    /** The virtio-mmio devices, in the order of the command line or of the slots; none without {@code /dev/mem}. */
    public List<Found> find() throws IOException {
        List<Found> found = new ArrayList<>();
        List<MmioWindow> windows = candidates();
        if (windows.isEmpty() || !Files.exists(memory)) return found;
        try (NativeFile mem = NativeFile.openUncached(memory)) {
            for (MmioWindow window : windows) {
                try (Mapping mapping = map(mem, window)) {
                    int type = MmioTransport.probe(registers(mapping, window));
                    if (type != 0) found.add(new Found(window.base(), window.size(), type));
                } catch (ErrnoException e) {
                    LOG.log(Level.DEBUG, () -> "cannot map 0x" + Long.toHexString(window.base()) + " of " + memory + ": " + e.getMessage());
                }
            }
        }
        return found;
    }

    private List<MmioWindow> candidates() throws IOException {
        List<MmioWindow> described = Files.exists(cmdline) ? MmioWindow.fromCommandLine(Files.readString(cmdline)) : List.of();
        if (!described.isEmpty()) return described;
        // Without PCI this is most likely a microvm; on a PC the same addresses may hold PCI BARs, whose reads have effects.
        if (hasPci()) return List.of();
        return MmioWindow.microvmDefaults();
    }

    private boolean hasPci() throws IOException {
        if (!Files.isDirectory(pciDevices)) return false;
        try (var list = Files.list(pciDevices)) {
            return list.findAny().isPresent();
        }
    }

    /**
     * Maps the device {@code found} and returns its registers, the device reset.
     *
     * @param release run when the transport closes, after the device is reset
     */
    public VirtioTransport open(Found found, Runnable release) throws IOException {
        MmioWindow window = new MmioWindow(found.address(), found.size());
        Mapping mapping;
        try (NativeFile mem = NativeFile.openUncached(memory)) {
            mapping = map(mem, window);
        }
        try {
            MmioTransport transport = new MmioTransport(registers(mapping, window), List.of(mapping, release::run));
            if (transport.deviceType() != found.type()) throw new IOException("the virtio-mmio device at 0x" + Long.toHexString(found.address()) + " changed");
            LOG.log(Level.INFO, () -> "virtio device type " + found.type() + " at 0x" + Long.toHexString(found.address())
                    + ": virtio-mmio" + (transport.legacy() ? " version 1 (legacy)" : "") + ", polled");
            transport.status(0);
            return transport;
        } catch (IOException | RuntimeException e) {
            mapping.close();
            release.run();
            throw e;
        }
    }

    /** Maps the pages {@code window} spans (mmap offsets are page-aligned). */
    private static Mapping map(NativeFile mem, MmioWindow window) throws ErrnoException {
        long first = window.base() & -PAGE;
        long end = (window.base() + window.size() + PAGE - 1) & -PAGE;
        return mem.map(first, end - first, false);
    }

    private static Registers registers(Mapping mapping, MmioWindow window) {
        return new Registers(mapping.segment().asSlice(window.base() & (PAGE - 1), window.size()));
    }
}
