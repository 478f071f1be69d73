package org.mirage4j.net.virtio;

import static java.lang.System.Logger.Level.INFO;

import java.security.SecureRandom;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.virtio.DmaMemory;
import org.mirage4j.virtio.DmaSlots;
import org.mirage4j.virtio.Features;
import org.mirage4j.virtio.UseGate;
import org.mirage4j.virtio.VirtioDevice;
import org.mirage4j.virtio.VirtioTransport;
import org.mirage4j.virtio.Virtqueue;

/**
 * One connection to a virtio-net device: the initialised device, its two queues and buffer pools,
 * its counters, and the gate that keeps the memory alive while calls use it.
 *
 * <p>Features asked for: MAC, MTU, RING_EVENT_IDX, ANY_LAYOUT (legacy), VERSION_1 and, from a
 * VERSION_1 device, checksum offload both ways (CSUM, GUEST_CSUM) and TCP segmentation (HOST_TSO4).
 * Offloads stay off until the stack turns them on ({@link VirtioNetwork#enableOffloads}): until
 * then every header sent is zero, and a received frame whose checksum the device left partial has it
 * finished by the driver ({@link PartialChecksum}), so the stack sees plain frames. No MRG_RXBUF and
 * no large receive: every receive buffer holds one frame of the MTU.
 */
final class NetSession {

    private static final System.Logger LOG = System.getLogger("net.virtio");
    /** Entries per queue we ask for; the device may offer fewer. */
    private static final int QUEUE_SIZE = 256;
    static final long WANTED_FEATURES = Features.bit(NetConfig.F_MAC) | Features.bit(NetConfig.F_MTU)
            | Features.bit(Features.RING_EVENT_IDX) | Features.bit(Features.ANY_LAYOUT) | Features.bit(Features.VERSION_1)
            | Features.bit(NetConfig.F_CSUM) | Features.bit(NetConfig.F_GUEST_CSUM) | Features.bit(NetConfig.F_HOST_TSO4);
    /** Transmit buffers of 64 KiB for TCP segmentation requests, besides those of the MTU: about 2 MiB of huge pages. */
    private static final int LARGE_TX_BUFFERS = 32;

    final VirtioDevice device;
    final MacAddress mac;
    final int mtu;
    final Receiver receiver;
    final Transmitter transmitter;
    final NetCounters counters = new NetCounters();
    final UseGate gate = new UseGate();
    /** The offloads the device has and the driver can use: the most {@link VirtioNetwork#enableOffloads} grants. */
    final Offloads available;
    /** The offloads the stack turned on; {@link Offloads#NONE} until it asks. */
    volatile Offloads enabled = Offloads.NONE;
    private final DmaSlots rxPool;
    private final DmaSlots txPool;
    private final DmaSlots largeTxPool; // null without TSO

    private NetSession(VirtioDevice device, MacAddress mac, int mtu, Virtqueue<DmaSlots.Slot> rx, Virtqueue<DmaSlots.Slot> tx,
            DmaSlots rxPool, DmaSlots txPool, DmaSlots largeTxPool, int header, boolean headerApart, Offloads available) {
        this.device = device;
        this.available = available;
        this.mac = mac;
        this.mtu = mtu;
        this.rxPool = rxPool;
        this.txPool = txPool;
        this.largeTxPool = largeTxPool;
        int maxFrame = mtu + NetConfig.ETHERNET_HEADER;
        this.receiver = new Receiver(device.transport(), rx, rxPool, header, headerApart, maxFrame, counters);
        this.transmitter = new Transmitter(device, tx, txPool, largeTxPool, header, headerApart, counters, gate);
        // Until the stack asks for offloads, received partial checksums are finished here (GUEST_CSUM is on).
        receiver.offloads(false, device.has(NetConfig.F_GUEST_CSUM));
    }

    /** Initialises the device on {@code transport}, which it then owns (and closes on failure). */
    static NetSession open(VirtioTransport transport, DmaMemory memory) throws DeviceException {
        VirtioDevice device = null;
        Virtqueue<DmaSlots.Slot> rx = null;
        Virtqueue<DmaSlots.Slot> tx = null;
        DmaSlots rxPool = null;
        DmaSlots txPool = null;
        DmaSlots largeTxPool = null;
        try {
            device = VirtioDevice.initialize("virtio-net", transport, WANTED_FEATURES);
            MacAddress mac = device.has(NetConfig.F_MAC)
                    ? MacAddress.of(device.readConfig(NetConfig.MAC_OFFSET, MacAddress.LENGTH))
                    : randomMac();
            int mtu = device.has(NetConfig.F_MTU) ? device.readConfig16(NetConfig.MTU_OFFSET) : NetConfig.DEFAULT_MTU;
            if (mtu < 68) mtu = NetConfig.DEFAULT_MTU; // below IPv4's minimum (RFC 791): the field is not meant
            int header = device.has(Features.VERSION_1) ? NetConfig.HEADER_MODERN : NetConfig.HEADER_LEGACY;
            boolean headerApart = !device.has(Features.VERSION_1) && !device.has(Features.ANY_LAYOUT);
            boolean eventIndex = device.has(Features.RING_EVENT_IDX);
            rx = Virtqueue.create("virtio-net", transport, memory, NetConfig.RECEIVE_QUEUE, QUEUE_SIZE, eventIndex);
            tx = Virtqueue.create("virtio-net", transport, memory, NetConfig.TRANSMIT_QUEUE, QUEUE_SIZE, eventIndex);
            int perBuffer = headerApart ? 2 : 1;
            int slotSize = header + mtu + NetConfig.ETHERNET_HEADER;
            // Twice the ring's worth of receive buffers: the stack may hold one ring's worth while the ring stays full.
            rxPool = DmaSlots.allocate(memory, slotSize, 2 * (rx.size() / perBuffer));
            Offloads available = offloads(device);
            // A ring's worth of transmit buffers of the MTU and, with TSO, some of 64 KiB besides (the transmitter
            // takes a buffer only when the ring has descriptors for it).
            int large = available.tcpSegmentation() ? Math.min(LARGE_TX_BUFFERS, tx.size()) : 0;
            if (large > 0) {
                try {
                    largeTxPool = DmaSlots.allocate(memory, header + available.maxFrameSize(), large);
                } catch (DeviceException e) {
                    LOG.log(INFO, "No memory for virtio-net's 64 KiB transmit buffers, so no TCP segmentation: {0}", e.getMessage());
                    available = new Offloads(true, false, false, 0);
                    large = 0;
                }
            }
            txPool = DmaSlots.allocate(memory, slotSize, tx.size() / perBuffer);
            tx.disableInterrupts(); // writers and the receive loop take transmit buffers back; no interrupt needed
            NetSession session = new NetSession(device, mac, mtu, rx, tx, rxPool, txPool, largeTxPool, header, headerApart,
                    available);
            session.receiver.refill();
            device.ready();
            LOG.log(INFO, "virtio-net device ready: MAC {0}{1}, MTU {2}, {3} virtio, queues of {4} and {5}, offloads: {6}",
                    mac, device.has(NetConfig.F_MAC) ? "" : " (made up: the device has none)", mtu,
                    transport.legacy() ? "legacy" : "1.x", rx.size(), tx.size(), describe(available));
            return session;
        } catch (DeviceException | RuntimeException e) {
            transport.close();
            if (rx != null) rx.close();
            if (tx != null) tx.close();
            if (rxPool != null) rxPool.close();
            if (txPool != null) txPool.close();
            if (largeTxPool != null) largeTxPool.close();
            throw e;
        }
    }

    /** Resets the device, then frees the rings and pools (received frames still held keep theirs). */
    void release() {
        device.close();
        receiver.reclaimAll();
        transmitter.reclaimAll();
        receiver.queue().close();
        transmitter.queue().close();
        rxPool.close();
        txPool.close();
        if (largeTxPool != null) largeTxPool.close();
    }

    /** Receive buffers taken from the pool and not given back (in the ring or held by the stack). */
    int receiveBuffersInUse() {
        return rxPool.inUse();
    }

    /** Used elements the device got wrong, on both queues. */
    long deviceErrors() {
        return receiver.queue().deviceErrors() + transmitter.queue().deviceErrors();
    }

    /**
     * What the stack may turn on: checksum offload when the device takes partial checksums and hands them over
     * (CSUM and GUEST_CSUM), TCP segmentation when it also cuts TCP/IPv4 frames (HOST_TSO4). Only on a VERSION_1
     * device, whose header is the 12 octets the stack writes in front of a frame.
     */
    private static Offloads offloads(VirtioDevice device) {
        boolean checksum = device.has(Features.VERSION_1) && device.has(NetConfig.F_CSUM) && device.has(NetConfig.F_GUEST_CSUM);
        boolean tso = checksum && device.has(NetConfig.F_HOST_TSO4);
        return new Offloads(checksum, tso, false, tso ? Offloads.MAX_FRAME_SIZE : 0);
    }

    private static String describe(Offloads offloads) {
        if (!offloads.checksum()) return "none";
        return offloads.tcpSegmentation() ? "checksum, TCP segmentation (TSO4)" : "checksum";
    }

    private static MacAddress randomMac() {
        byte[] octets = new byte[MacAddress.LENGTH];
        new SecureRandom().nextBytes(octets);
        octets[0] = (byte) ((octets[0] & 0xFE) | 0x02); // unicast, locally administered
        return MacAddress.of(octets);
    }
}
