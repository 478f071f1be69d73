package org.mirage4j.virtio.pci;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.mirage4j.virtio.Transports;
import java.util.Map;
import java.util.Optional;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.linux.Mapping;
import org.mirage4j.virtio.linux.NativeFile;
import org.mirage4j.virtio.linux.Registers;

/**
 * The virtio PCI functions of this machine, and their registers: discovery in sysfs, binding to
 * uio_pci_generic, bus mastering, and the modern capabilities mapped from sysfs's
 * {@code resourceN}, or the legacy I/O BAR when the function has no modern capabilities.
 * Thread-safe; does no I/O until called.
 */
public final class PciVirtioDevices {

    private static final Logger LOG = System.getLogger("virtio.pci");

    /** A virtio PCI function: its PCI address (such as {@code 0000:00:03.0}) and virtio device type. */
    public record Found(String address, int type) {}

    private final UioBinding binding;

    private PciVirtioDevices(UioBinding binding) {
        this.binding = binding;
    }

    /** The machine's: {@code /sys/bus/pci} and {@code /dev}. */
    public static PciVirtioDevices system() {
        return new PciVirtioDevices(UioBinding.system());
    }

    /** Over another sysfs PCI bus directory ({@code /sys/bus/pci}) and device directory ({@code /dev}), as tests make them. */
    public static PciVirtioDevices at(Path bus, Path dev) {
        return new PciVirtioDevices(new UioBinding(bus, dev));
    }

    /** The virtio functions, by address; none when the machine has no PCI bus. */
    public List<Found> find() throws IOException {
        return PciFunction.discover(binding.devices()).stream().map(f -> new Found(f.address(), f.type())).toList();
    }

    /**
     * Binds the function at {@code address} to uio_pci_generic, enables its bus mastering, and
     * returns its registers, the device reset.
     *
     * @param release run when the transport closes, after the device is reset
     * @throws IOException when sysfs refuses the binding or a mapping, or the function is gone
     */
    public VirtioTransport open(String address, Runnable release) throws IOException {
        Path directory = binding.devices().resolve(address);
        PciFunction function = PciFunction.discover(binding.devices()).stream()
                .filter(f -> f.directory().getFileName().equals(directory.getFileName())).findFirst()
                .orElseThrow(() -> new IOException("no virtio PCI function " + address));
        Optional<Path> uioNode = binding.bind(function);
        byte[] configBytes = Files.readAllBytes(directory.resolve("config"));
        Optional<VirtioPciLayout> layout = VirtioPciLayout.parse(configBytes);
        List<AutoCloseable> resources = new ArrayList<>(); // closed in this order after the reset
        NativeFile uio = null;
        try {
            NativeFile config = NativeFile.openReadWrite(directory.resolve("config"));
            resources.add(config);
            resources.add(release::run);
            PciCommand.enable(config, layout.isEmpty());
            if (uioNode.isPresent()) uio = NativeFile.openReadWrite(uioNode.get());
            VirtioTransport transport = layout.isPresent()
                    ? modern(function, layout.get(), config, uio, resources)
                    : legacy(function, config, uio, resources);
            boolean interrupts = uio != null;
            LOG.log(Level.INFO, () -> "virtio device type " + function.type() + " at " + address + ": "
                    + (layout.isPresent() ? "modern" : "legacy") + ", " + (interrupts ? "interrupts through " + uioNode.get() : "polled"));
            transport.status(0);
            return transport;
        } catch (IOException | RuntimeException e) {
            if (uio != null) uio.close();
            Transports.closeAll(resources, LOG);
            throw e;
        }
    }

    private static VirtioTransport modern(PciFunction function, VirtioPciLayout layout, NativeFile config, NativeFile uio,
            List<AutoCloseable> resources) throws IOException {
        Map<Integer, Mapping> bars = new HashMap<>();
        List<VirtioPciLayout.Window> windows = new ArrayList<>(List.of(layout.common(), layout.notification(), layout.isr()));
        layout.device().ifPresent(windows::add);
        for (VirtioPciLayout.Window window : windows) {
            if (bars.containsKey(window.bar())) continue;
            Path resource = function.directory().resolve("resource" + window.bar());
            try (NativeFile file = NativeFile.openReadWrite(resource)) { // the mapping outlives the file
                Mapping mapping = file.map(0, Files.size(resource), false);
                resources.addFirst(mapping);
                bars.put(window.bar(), mapping);
            }
        }
        Registers common = registers(bars, layout.common());
        Registers isr = registers(bars, layout.isr());
        Registers device = layout.device().map(w -> registers(bars, w)).orElse(new Registers(java.lang.foreign.MemorySegment.NULL));
        ModernPciTransport[] self = new ModernPciTransport[1];
        PciInterrupts interrupts = new PciInterrupts(uio, config, () -> self[0].readIsr());
        self[0] = new ModernPciTransport(function.type(), common, registers(bars, layout.notification()),
                layout.notifyOffMultiplier(), isr, device, interrupts, List.copyOf(resources));
        interrupts.start();
        return self[0];
    }

    private static VirtioTransport legacy(PciFunction function, NativeFile config, NativeFile uio, List<AutoCloseable> resources)
            throws IOException {
        Path resource = function.directory().resolve("resource0");
        NativeFile io = NativeFile.openReadWrite(resource);
        resources.addFirst(io);
        LegacyPciTransport[] self = new LegacyPciTransport[1];
        PciInterrupts interrupts = new PciInterrupts(uio, config, () -> self[0].readIsr());
        self[0] = new LegacyPciTransport(function.type(), io, Files.size(resource), interrupts, List.copyOf(resources));
        interrupts.start();
        return self[0];
    }

    /** The window's slice of its BAR's mapping, checked to lie inside it. */
    private static Registers registers(Map<Integer, Mapping> bars, VirtioPciLayout.Window window) {
        var bar = bars.get(window.bar()).segment();
        if (window.offset() + window.length() > bar.byteSize()) {
            throw new IllegalStateException("a virtio capability points past the end of BAR " + window.bar());
        }
        return new Registers(bar.asSlice(window.offset(), window.length()));
    }
}
