package org.mirage4j.tcpip.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.testing.TrackedHeapAllocator;
import org.mirage4j.tcpip.wire.Parsed;
import org.mirage4j.tcpip.wire.TcpPacket;
import org.mirage4j.tcpip.wire.TcpRepr;

/**
 * Drives one engine segment by segment, as gVisor's packetimpact does: the test plays the peer, sends it segments
 * and checks what comes back, in virtual time. Every segment the engine sends is put through the wire format
 * (emitted with its checksum and parsed back) before the test sees it.
 */
final class Harness implements SegmentSink, TcpEvents, AutoCloseable {

    static final Ipv4Address LOCAL = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.0.0.2");

    /** A segment the engine sent, its data copied out. */
    record Sent(TcpRepr header, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }

        int length() {
            return data.length;
        }

        @Override
        public String toString() {
            return header + " len " + data.length;
        }
    }

    final TcpEngine engine;
    final Deque<Sent> sent = new ArrayDeque<>();
    final List<Connection> changed = new ArrayList<>();
    final List<Listener> acceptReady = new ArrayList<>();
    long now = 1_000_000_000L;

    Harness(TcpConfig config) {
        this(config, 1);
    }

    Harness(TcpConfig config, long seed) {
        this.engine = new TcpEngine(config, new TestRandom(seed), ByteBufAllocator.DEFAULT, this, this);
    }

    /** For segments the engine asked the device to cut (TCP segmentation offload): the size of each piece. */
    final java.util.Map<Sent, Integer> segmentSizes = new java.util.IdentityHashMap<>();

    @Override
    public void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload, int segmentSize) {
        send(source, destination, header, payload);
        if (segmentSize != 0) segmentSizes.put(sent.peekLast(), segmentSize);
    }

    @Override
    public void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, ByteBuf payload) {
        assertThat(source).isEqualTo(LOCAL);
        assertThat(destination).isEqualTo(REMOTE);
        int readerIndex = payload.readerIndex();
        ByteBuf wire = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            header.emit(wire, source, destination, payload);
            TcpPacket packet = new TcpPacket();
            assertThat(packet.wrap(wire)).isNull();
            assertThat(TcpRepr.parse(packet, source, destination)).isEqualTo(Parsed.ok(header));
            sent.add(new Sent(header, ByteBufUtil.getBytes(packet.payload())));
        } finally {
            wire.release();
        }
        assertThat(payload.readerIndex()).as("the sink does not move the payload's indexes").isEqualTo(readerIndex);
    }

    @Override
    public void connectionChanged(Connection connection) {
        changed.add(connection);
    }

    @Override
    public void acceptReady(Listener listener) {
        acceptReady.add(listener);
    }

    /**
     * Ends every connection the engine or the test holds, giving their buffers back, so that the leak check sees
     * none left.
     */
    @Override
    public void close() {
        for (Connection c : List.copyOf(new java.util.LinkedHashSet<>(changed))) c.abort(now);
        engine.abortAll(now);
        sent.clear();
    }

    /** The peer sends {@code header} with {@code data}. */
    void receive(TcpRepr header, byte[] data) {
        ByteBuf payload = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(data);
        ByteBuf wire = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            header.emit(wire, REMOTE, LOCAL, payload);
            engine.input(REMOTE, LOCAL, wire, now);
        } finally {
            wire.release();
            payload.release();
        }
    }

    void receive(TcpRepr header) {
        receive(header, new byte[0]);
    }

    /** The next segment the engine sent; fails if there is none. */
    Sent next() {
        assertThat(sent).as("a segment sent").isNotEmpty();
        return sent.poll();
    }

    /** Fails if the engine sent anything not yet looked at. */
    void expectNothing() {
        assertThat(sent).as("segments sent").isEmpty();
    }

    /** Moves virtual time on by {@code by}, running every timer due on the way at its own time. */
    void advance(Duration by) {
        advanceTo(now + by.toNanos());
    }

    void advanceTo(long target) {
        while (engine.nextDeadline() <= target) {
            now = Math.max(now, engine.nextDeadline());
            engine.poll(now);
        }
        now = target;
    }

    /** Moves time to the engine's next deadline and runs it; returns how far time moved. */
    Duration fireNextTimer() {
        long before = now;
        long deadline = engine.nextDeadline();
        assertThat(deadline).as("a timer is armed").isLessThan(Long.MAX_VALUE);
        now = Math.max(now, deadline);
        engine.poll(now);
        return Duration.ofNanos(now - before);
    }

    /** Writes {@code text} on {@code c}, all of it. */
    void write(Connection c, String text) {
        ByteBuf data = TrackedHeapAllocator.INSTANCE.heapBuffer().writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        try {
            assertThat(c.write(data, now)).isEqualTo(text.length());
        } finally {
            data.release();
        }
    }

    /** Reads everything readable on {@code c} as text ("" if nothing; null at the end of the stream). */
    String read(Connection c) {
        ByteBuf into = ByteBufAllocator.DEFAULT.heapBuffer(Math.max(c.readable(), 1));
        try {
            int n = c.read(into, now);
            if (n < 0) return null;
            return into.toString(StandardCharsets.ISO_8859_1);
        } finally {
            into.release();
        }
    }
}
