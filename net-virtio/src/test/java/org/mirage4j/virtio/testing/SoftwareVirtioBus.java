package org.mirage4j.virtio.testing;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.DeviceException;
import org.mirage4j.virtio.DmaMemory;
import org.mirage4j.virtio.VirtioBus;
import org.mirage4j.virtio.VirtioTransport;

/**
 * A {@link VirtioBus} of software devices: {@link #claim} hands out the first unclaimed device of
 * the type asked for, which is claimable again once its transport is closed.
 */
public final class SoftwareVirtioBus implements VirtioBus {

    private final SoftwareDmaMemory memory;
    private final List<SoftwareDevice> devices = new ArrayList<>();

    /** A bus with no devices yet, over {@code memory}. */
    public SoftwareVirtioBus(SoftwareDmaMemory memory) {
        this.memory = memory;
    }

    /** Plugs {@code device} in; returns it. */
    public synchronized <D extends SoftwareDevice> D add(D device) {
        devices.add(device);
        return device;
    }

    @Override
    public synchronized VirtioTransport claim(int deviceType) throws DeviceException {
        for (SoftwareDevice device : devices) {
            if (device.deviceType() == deviceType && device.tryClaim()) return device;
        }
        throw new DeviceException("The software virtio bus has no free device of type " + deviceType + "; add one in the test.");
    }

    @Override
    public DmaMemory memory() {
        return memory;
    }

    /** The same memory, with the device-side view. */
    public SoftwareDmaMemory softwareMemory() {
        return memory;
    }
}
