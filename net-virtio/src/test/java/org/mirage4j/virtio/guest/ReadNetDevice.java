package org.mirage4j.virtio.guest;

import java.util.HexFormat;
import org.mirage4j.boot.Boot;
import org.mirage4j.virtio.DmaRegion;
import org.mirage4j.virtio.VirtioBus;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.bus.LinuxVirtioBus;

/**
 * Claims the VM's virtio-net device through {@link LinuxVirtioBus} and prints what the host can
 * check: its MAC address (device configuration bytes 0-5, VIRTIO 1.2 §5.1.4), which transport
 * carries it, and a DMA region's device address. Exits 0.
 */
public final class ReadNetDevice {

    private ReadNetDevice() {}

    public static void main(String[] args) {
        Boot.run(args, keys -> {
            LinuxVirtioBus bus = new LinuxVirtioBus();
            try (VirtioTransport net = bus.claim(VirtioBus.NETWORK)) {
                byte[] mac = new byte[6];
                for (int i = 0; i < 6; i++) mac[i] = (byte) net.readConfig(i, 1);
                System.out.println("virtio-net mac " + HexFormat.ofDelimiter(":").formatHex(mac) + " legacy=" + net.legacy()
                        + " interrupts=" + net.hasInterrupts() + " queue0=" + net.queueMaxSize(0)
                        + " features=0x" + Long.toHexString(net.deviceFeatures()));
            }
            try (DmaRegion region = bus.memory().allocate(4096, 4096)) {
                region.segment().fill((byte) 1);
                System.out.println("dma device address 0x" + Long.toHexString(region.deviceAddress(0))
                        + " page " + bus.memory().maxRegionSize());
            }
            return 0;
        });
    }
}
