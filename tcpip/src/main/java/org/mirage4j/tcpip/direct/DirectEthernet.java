package org.mirage4j.tcpip.direct;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.Ethernet;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.time.MonotonicClock;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.EthernetRepr;
import org.mirage4j.tcpip.wire.Malformed;

/**
 * Ethernet II over a {@link Network}: keeps the frames addressed to us (our MAC address, broadcast, or a
 * multicast group we joined) and hands their payload to ARP or IPv4 by EtherType; frames the other way get
 * their header written here.
 *
 * <p>Threads: {@link #input} runs on the receive loop only (it reuses one view); {@link #write} and the group
 * methods may be called from any thread. The device's MAC address and MTU are read when needed, since a
 * device knows them only once connected.
 */
final class DirectEthernet implements Ethernet {

    private final Network network;
    private final MonotonicClock clock;
    private final LayerCounters counters = new LayerCounters();
    private final Set<MacAddress> groups = new CopyOnWriteArraySet<>();
    private final EthernetFrame view = new EthernetFrame();
    /** The largest payload {@link #write} takes when the device cuts large frames (TSO); 0: the MTU. */
    private volatile int largestPayload;

    DirectEthernet(Network network, MonotonicClock clock) {
        this.network = network;
        this.clock = clock;
    }

    @Override
    public MacAddress mac() {
        return network.mac();
    }

    @Override
    public int mtu() {
        return network.mtu();
    }

    /**
     * The largest payload a frame may carry: the MTU, or more once {@link #allowLargeFrames} says the device takes
     * larger frames (for TCP segments it cuts).
     */
    int largestPayload() {
        int largest = largestPayload;
        return largest == 0 ? network.mtu() : largest;
    }

    /** The device takes frames of up to {@code maxFrameSize} octets, header included (its offloads' maxFrameSize). */
    void allowLargeFrames(int maxFrameSize) {
        largestPayload = maxFrameSize - EthernetFrame.HEADER_LENGTH;
    }

    /** Also receives frames sent to the multicast address {@code group}. */
    void join(MacAddress group) {
        if (!group.isMulticast()) throw new IllegalArgumentException(group + " is not a multicast MAC address.");
        groups.add(group);
    }

    /** {@inheritDoc} IPv6 frames are dropped when {@code handlers.ipv6()} is {@code null}. */
    @Override
    public void input(ByteBuf frame, Handlers handlers) {
        input(frame, (arp, now) -> handlers.arp().accept(arp), (ip, now) -> handlers.ipv4().accept(ip),
                handlers.ipv6() == null ? null : (ip, now) -> handlers.ipv6().accept(ip), clock.elapsedNanos());
    }

    /**
     * Checks one received frame, moves its reader index past the header and hands it to the input for its
     * EtherType, which then owns it. Takes ownership of {@code frame}; never throws on malformed input.
     *
     * @param ipv6 where IPv6 goes, or {@code null} to drop it
     */
    void input(ByteBuf frame, PacketInput arp, PacketInput ipv4, PacketInput ipv6, long now) {
        PacketInput next = null;
        try {
            Malformed problem = view.wrap(frame);
            if (problem != null) {
                counters.drop(DropReason.of(problem));
                return;
            }
            MacAddress destination = view.destination();
            if (!destination.equals(network.mac()) && !destination.isBroadcast() && !groups.contains(destination)) {
                counters.drop(DropReason.NOT_FOR_US);
                return;
            }
            if (view.source().isMulticast()) { // IEEE 802: a group address is never a source
                counters.drop(DropReason.BAD_SOURCE);
                return;
            }
            int type = view.etherType();
            if (type == EtherType.ARP.value()) {
                next = arp;
            } else if (type == EtherType.IPV4.value()) {
                next = ipv4;
            } else if (type == EtherType.IPV6.value()) {
                if (ipv6 == null) {
                    counters.drop(DropReason.NO_IPV6);
                    return;
                }
                next = ipv6;
            } else {
                counters.drop(DropReason.UNSUPPORTED_ETHER_TYPE);
                return;
            }
            counters.received();
            frame.readerIndex(view.payloadIndex());
        } finally {
            if (next == null) frame.release();
        }
        next.input(frame, now);
    }

    /**
     * Sends a frame from our MAC address; {@code filler} writes the payload, at most {@code size} bytes, into
     * the device's buffer and must neither release nor keep it.
     *
     * @throws IllegalArgumentException if {@code size} exceeds the MTU (or {@link #largestPayload()}, larger for
     *     segments the device cuts)
     */
    @Override
    public void write(MacAddress destination, EtherType type, int size, Consumer<ByteBuf> filler) throws IOException {
        int largest = largestPayload();
        if (size > largest) throw new IllegalArgumentException("An Ethernet payload is at most " + largest + " bytes here, not " + size + ".");
        EthernetRepr header = new EthernetRepr(network.mac(), destination, type);
        network.write(header.bufferLength(size), buf -> {
            header.emit(buf);
            filler.accept(buf);
        });
        counters.sent();
    }

    LayerStats stats() {
        return counters.snapshot();
    }
}
