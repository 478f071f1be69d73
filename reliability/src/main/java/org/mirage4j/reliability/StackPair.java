package org.mirage4j.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.tcpip.direct.DirectStack;
import org.mirage4j.tcpip.direct.Ipv4Source;
import org.mirage4j.tcpip.link.ChannelLink;
import org.mirage4j.tcpip.link.FaultSpec;
import org.mirage4j.tcpip.link.FaultyNetwork;
import org.mirage4j.tcpip.wire.Icmpv4Repr;
import org.mirage4j.tcpip.wire.Octets;

/**
 * The stack under test (10.0.0.2 at 02:00:00:00:00:02) and its peer (10.0.0.1 at 02:00:00:00:00:01): two direct
 * stacks with their own receive loops and timers on the real clock, on wired {@link ChannelLink}s. Frames the test
 * makes go straight into the stack's receive queue ({@link #inject}); the peer pings the stack and fetches
 * {@link HttpPage} from it over TCP. The peer's side may damage frames both ways through a {@link FaultyNetwork}.
 *
 * <p>Threads: any; {@link #close} once, by the owner.
 */
public final class StackPair implements AutoCloseable {

    public static final MacAddress STACK_MAC = MacAddress.parse("02:00:00:00:00:02");
    public static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:01");
    public static final Ipv4Address STACK_IP = Ipv4Address.parse("10.0.0.2");
    public static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    /** The port the stack serves {@link HttpPage} on. */
    public static final int HTTP_PORT = 80;
    /** The port the stack echoes UDP datagrams on. */
    public static final int UDP_ECHO_PORT = 7;

    /** How many frames the stack's receive queue holds; {@link #inject} waits while it is nearly full. */
    private static final int QUEUE = 4096;

    private final ChannelLink stackLink;
    private final ChannelLink peerLink;
    private final EchoWatch echoes;
    private final DirectStack stack;
    private final DirectStack peer;
    private final List<Runnable> cleanup = new ArrayList<>();
    private long injected;

    private StackPair(String faults, int pageSize) throws IOException {
        stackLink = new ChannelLink(STACK_MAC, ChannelLink.DEFAULT_MTU, QUEUE, ByteBufAllocator.DEFAULT);
        peerLink = new ChannelLink(PEER_MAC, ChannelLink.DEFAULT_MTU, QUEUE, ByteBufAllocator.DEFAULT);
        ChannelLink.wire(stackLink, peerLink);
        Network peerSide = peerLink;
        if (!faults.isBlank()) {
            FaultyNetwork faulty = new FaultyNetwork(peerLink, FaultSpec.parse(faults));
            faulty.connect();
            cleanup.add(faulty::disconnect);
            peerSide = faulty;
        }
        echoes = new EchoWatch(peerSide);
        stack = new DirectStack(stackLink, System::nanoTime, new SeededRandom(2), Ipv4Source.fixed(Ipv4Prefix.parse("10.0.0.2/24")));
        peer = new DirectStack(echoes, System::nanoTime, new SeededRandom(1), Ipv4Source.fixed(Ipv4Prefix.parse("10.0.0.1/24")));
        cleanup.add(stackLink::disconnect);
        cleanup.add(peerLink::disconnect);
        cleanup.add(peer::disconnect);
        cleanup.add(stack::disconnect);
        try {
            stack.connect();
            peer.connect();
            stack.tcp().listen(HTTP_PORT, new HttpPage(pageSize));
            stack.udp().listen(UDP_ECHO_PORT, datagram -> stack.udp().write(UDP_ECHO_PORT, datagram.source(),
                    datagram.sourcePort(), datagram.payload())); // the write takes the payload over
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Both stacks up, the peer's link undamaged, serving a small page. */
    public static StackPair start() throws IOException {
        return new StackPair("", HttpPage.SMALL);
    }

    /**
     * Both stacks up, the peer's link damaging frames as {@code faults} says (a {@link FaultSpec}; blank for none),
     * serving a page of {@code pageSize} octets of body.
     */
    public static StackPair start(String faults, int pageSize) throws IOException {
        return new StackPair(faults, pageSize);
    }

    /** The stack under test. */
    public DirectStack stack() {
        return stack;
    }

    /** The peer that pings and fetches. */
    public DirectStack peer() {
        return peer;
    }

    /**
     * Queues {@code frame} as received by the stack, waiting while its receive queue is nearly full so that no
     * frame is lost before the stack sees it. The frame is copied.
     */
    public void inject(byte[] frame) {
        while (stackLink.receiveQueued() > QUEUE - 64) LockSupport.parkNanos(50_000);
        if (!stackLink.inject(frame)) throw new IllegalStateException("The stack's link refused a frame: it is disconnected.");
        injected++;
    }

    /** Frames {@link #inject}ed so far. */
    public long injected() {
        return injected;
    }

    /** Waits until the stack has taken every queued frame (at most {@code timeout}); true if it did. */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stackLink.receiveQueued() > 0) {
            if (System.nanoTime() > deadline) return false;
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** The peer pings the stack with {@code sequence}; true if the reply came within {@code timeout}. */
    public boolean ping(int sequence, Duration timeout) throws IOException, InterruptedException {
        Icmpv4Repr request = new Icmpv4Repr.EchoRequest(0x5A5A, sequence, Octets.of("mirage4j ping".getBytes(US_ASCII)));
        ByteBuf message = ByteBufAllocator.DEFAULT.buffer();
        request.emit(message);
        peer.icmp().write(STACK_IP, message); // takes the message over
        return echoes.awaitReply(0x5A5A, sequence, timeout);
    }

    /** Echo replies the peer has seen. */
    public long echoReplies() {
        return echoes.replies();
    }

    /**
     * The peer fetches {@code /} from the stack over a new TCP connection, reading to the end within
     * {@code timeout}; returns the whole response.
     */
    public String httpGet(Duration timeout) throws IOException, InterruptedException {
        try (Flow flow = peer.tcp().connect(STACK_IP, HTTP_PORT)) {
            flow.setReadTimeout(timeout);
            flow.write(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: 10.0.0.2\r\nConnection: close\r\n\r\n", US_ASCII));
            StringBuilder response = new StringBuilder();
            for (ByteBuf data; (data = flow.read()) != null; ) {
                try {
                    response.append(data.toString(US_ASCII));
                } finally {
                    data.release();
                }
            }
            return response.toString();
        }
    }

    /** Stops both stacks and their links; frames still queued are released. */
    @Override
    public void close() {
        for (Runnable r : cleanup.reversed()) r.run();
    }
}
