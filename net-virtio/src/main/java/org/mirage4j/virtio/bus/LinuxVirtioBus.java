package org.mirage4j.virtio.bus;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.DmaMemory;
import org.mirage4j.virtio.VirtioBus;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.mmio.MmioVirtioDevices;
import org.mirage4j.virtio.pci.PciVirtioDevices;

/**
 * The virtio devices of the Linux machine this runs on (the kvm target's VM): PCI functions first,
 * handed to uio_pci_generic, then virtio-mmio devices; DMA memory from huge pages. A device is
 * claimed by one driver until its transport closes. Thread-safe: drivers of several devices may
 * connect at once.
 */
@Singleton
public final class LinuxVirtioBus implements VirtioBus {

    private final PciVirtioDevices pci;
    private final MmioVirtioDevices mmio;
    private final DmaMemory memory;
    private final Set<String> claimed = new HashSet<>();

    /** Does no I/O: devices are found when a driver claims one, pages mapped when first allocated. */
    @Inject
    public LinuxVirtioBus() {
        this(PciVirtioDevices.system(), MmioVirtioDevices.system(), new PagedDmaMemory(new HugePages()));
    }

    LinuxVirtioBus(PciVirtioDevices pci, MmioVirtioDevices mmio, DmaMemory memory) {
        this.pci = pci;
        this.mmio = mmio;
        this.memory = memory;
    }

    @Override
    public synchronized VirtioTransport claim(int deviceType) throws DeviceException {
        try {
            for (PciVirtioDevices.Found found : pci.find()) {
                String key = "pci " + found.address();
                if (found.type() != deviceType || claimed.contains(key)) continue;
                claimed.add(key);
                return openOrUnclaim(key, () -> pci.open(found.address(), () -> release(key)));
            }
            for (MmioVirtioDevices.Found found : mmio.find()) {
                String key = "mmio " + Long.toHexString(found.address());
                if (found.type() != deviceType || claimed.contains(key)) continue;
                claimed.add(key);
                return openOrUnclaim(key, () -> mmio.open(found, () -> release(key)));
            }
        } catch (DeviceException e) {
            throw e;
        } catch (IOException e) {
            throw new DeviceException("Could not reach the virtio devices (" + e.getMessage()
                    + "): run the unikernel as the VM's init, as the kvm image's run.sh does.", e);
        }
        throw new DeviceException(missing(deviceType));
    }

    private interface Opener {
        VirtioTransport open() throws IOException;
    }

    private VirtioTransport openOrUnclaim(String key, Opener opener) throws IOException {
        try {
            return opener.open();
        } catch (IOException | RuntimeException e) {
            claimed.remove(key);
            throw e;
        }
    }

    private synchronized void release(String key) {
        claimed.remove(key);
    }

    /** The sentence for a missing device: which run.sh option adds one. */
    static String missing(int deviceType) {
        return switch (deviceType) {
            case NETWORK -> "No virtio-net device: start the VM with run.sh --tap IFNAME.";
            case BLOCK -> "No virtio-blk device: start the VM with run.sh --disk FILE.";
            default -> "No virtio device of type " + deviceType + ": add one to the VM's QEMU command line.";
        };
    }

    @Override
    public DmaMemory memory() {
        return memory;
    }
}
