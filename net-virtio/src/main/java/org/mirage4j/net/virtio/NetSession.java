package org.mirage4j.net.virtio;

import static java.lang.System.Logger.Level.INFO;

import java.security.SecureRandom;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.net.MacAddress;
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
 * <p>Features asked for: MAC, MTU, RING_EVENT_IDX, ANY_LAYOUT (legacy), VERSION_1. No checksum or
 * segmentation offload and no MRG_RXBUF: every header is written zero and frames are checksummed by
 * the stack, the simplest setting that is correct on every device.
 */
final class NetSession {

    private static final System.Logger LOG = System.getLogger("net.virtio");
    /** Entries per queue we ask for; the device may offer fewer. */
    private static final int QUEUE_SIZE = 256;
    static final long WANTED_FEATURES = Features.bit(NetConfig.F_MAC) | Features.bit(NetConfig.F_MTU)
            | Features.bit(Features.RING_EVENT_IDX) | Features.bit(Features.ANY_LAYOUT) | Features.bit(Features.VERSION_1);

    final VirtioDevice device;
    final MacAddress mac;
    final int mtu;
    final Receiver receiver;
    final Transmitter transmitter;
    final NetCounters counters = new NetCounters();
    final UseGate gate = new UseGate();
    private final DmaSlots rxPool;
    private final DmaSlots txPool;

    private NetSession(VirtioDevice device, MacAddress mac, int mtu, Virtqueue<DmaSlots.Slot> rx, Virtqueue<DmaSlots.Slot> tx,
            DmaSlots rxPool, DmaSlots txPool, int header, boolean headerApart) {
        this.device = device;
        this.mac = mac;
        this.mtu = mtu;
        this.rxPool = rxPool;
        this.txPool = txPool;
        int maxFrame = mtu + NetConfig.ETHERNET_HEADER;
        this.receiver = new Receiver(device.transport(), rx, rxPool, header, headerApart, maxFrame, counters);
        this.transmitter = new Transmitter(device, tx, txPool, header, headerApart, counters, gate);
    }

    /** Initialises the device on {@code transport}, which it then owns (and closes on failure). */
    static NetSession open(VirtioTransport transport, DmaMemory memory) throws DeviceException {
        VirtioDevice device = null;
        Virtqueue<DmaSlots.Slot> rx = null;
        Virtqueue<DmaSlots.Slot> tx = null;
        DmaSlots rxPool = null;
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
            DmaSlots txPool = DmaSlots.allocate(memory, slotSize, tx.size() / perBuffer);
            tx.disableInterrupts(); // writers and the receive loop take transmit buffers back; no interrupt needed
            NetSession session = new NetSession(device, mac, mtu, rx, tx, rxPool, txPool, header, headerApart);
            session.receiver.refill();
            device.ready();
            LOG.log(INFO, "virtio-net device ready: MAC {0}{1}, MTU {2}, {3} virtio, queues of {4} and {5}",
                    mac, device.has(NetConfig.F_MAC) ? "" : " (made up: the device has none)", mtu,
                    transport.legacy() ? "legacy" : "1.x", rx.size(), tx.size());
            return session;
        } catch (DeviceException | RuntimeException e) {
            transport.close();
            if (rx != null) rx.close();
            if (tx != null) tx.close();
            if (rxPool != null) rxPool.close();
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
    }

    /** Receive buffers taken from the pool and not given back (in the ring or held by the stack). */
    int receiveBuffersInUse() {
        return rxPool.inUse();
    }

    /** Used elements the device got wrong, on both queues. */
    long deviceErrors() {
        return receiver.queue().deviceErrors() + transmitter.queue().deviceErrors();
    }

    private static MacAddress randomMac() {
        byte[] octets = new byte[MacAddress.LENGTH];
        new SecureRandom().nextBytes(octets);
        octets[0] = (byte) ((octets[0] & 0xFE) | 0x02); // unicast, locally administered
        return MacAddress.of(octets);
    }
}
