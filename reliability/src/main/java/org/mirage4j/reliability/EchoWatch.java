package org.mirage4j.reliability;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.mirage4j.api.net.EtherType;
import org.mirage4j.api.net.IpProtocol;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.tcpip.wire.EthernetFrame;
import org.mirage4j.tcpip.wire.Icmpv4Packet;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Ipv4Packet;

/**
 * A pass-through {@link Network} that notes the ICMP echo replies among the frames it receives, so that the side
 * that pings (the peer of a {@link StackPair}, whose own stack sends no echo requests) can wait for an answer. Every
 * frame goes on unchanged to the handler, which owns it as {@link Network#listen} says.
 *
 * <p>Threads: frames are looked at on the inner network's receive thread; {@link #awaitReply} blocks its caller.
 */
final class EchoWatch implements Network {

    private final Network inner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition replied = lock.newCondition();
    private int lastIdentifier = -1; // guarded by lock
    private int lastSequence = -1; // guarded by lock
    private long replies; // guarded by lock

    EchoWatch(Network inner) {
        this.inner = inner;
    }

    /** Echo replies seen since this watch was made. */
    long replies() {
        lock.lock();
        try {
            return replies;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for an echo reply with {@code identifier} and {@code sequence}; true if one came. */
    boolean awaitReply(int identifier, int sequence, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (lastIdentifier != identifier || lastSequence != sequence) {
                if (left <= 0) return false;
                left = replied.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void connect() throws IOException {
        inner.connect();
    }

    @Override
    public void disconnect() {
        inner.disconnect();
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    /** Listens on the inner network; each frame is looked at (not kept) and handed on, with its ownership. */
    @Override
    public void listen(Consumer<ByteBuf> handler) throws IOException {
        EthernetFrame ethernet = new EthernetFrame();
        Ipv4Packet ip = new Ipv4Packet();
        Icmpv4Packet icmp = new Icmpv4Packet();
        inner.listen(frame -> {
            if (ethernet.wrap(frame) == null && ethernet.etherType() == EtherType.IPV4.value()
                    && ip.wrap(frame, ethernet.payloadIndex(), ethernet.payloadLength()) == null
                    && ip.protocol() == IpProtocol.ICMP.value()
                    && icmp.wrap(frame, ip.payloadIndex(), ip.payloadLength()) == null
                    && Icmpv4Repr.parse(icmp).valueOrNull() instanceof Icmpv4Repr.EchoReply reply) {
                lock.lock();
                try {
                    lastIdentifier = reply.identifier();
                    lastSequence = reply.sequenceNumber();
                    replies++;
                    replied.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            handler.accept(frame);
        });
    }

    /** Passes on to the inner network; {@code filler} fills the buffer it is given, which it does not own. */
    @Override
    public void write(int size, Consumer<ByteBuf> filler) throws IOException {
        inner.write(size, filler);
    }

    @Override
    public NetworkStats stats() {
        return inner.stats();
    }
}
