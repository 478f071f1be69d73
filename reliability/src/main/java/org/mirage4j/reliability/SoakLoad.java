package org.mirage4j.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.net.Flow;

/**
 * The soak's mixed load, from the peer of a {@link StackPair} at the stack, each kind on its own virtual threads
 * until {@link #stop}: whole-page HTTP fetches; connections dropped mid-transfer (closed after the first bytes of
 * the page, so the stack's side is reset with data in flight); UDP datagrams to the echo port; and a ping a second.
 * Failures on a lossy link are counted, not thrown: the soak is about what the stack holds, not about each request.
 */
final class SoakLoad {

    /** The load done so far. */
    record Counts(long httpOk, long httpFailed, long aborted, long udpEchoed, long pings) {}

    /** The peer's UDP port the stack echoes to. */
    private static final int UDP_PORT = 5000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StackPair pair;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong httpOk = new AtomicLong();
    private final AtomicLong httpFailed = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong udpEchoed = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();
    private volatile boolean running = true;

    SoakLoad(StackPair pair) {
        this.pair = pair;
    }

    /** Starts {@code fetchers} fetching and {@code droppers} dropping connections, plus UDP and pings. */
    void start(int fetchers, int droppers) throws IOException {
        pair.peer().udp().listen(UDP_PORT, datagram -> {
            datagram.payload().release();
            udpEchoed.incrementAndGet();
        });
        for (int i = 0; i < fetchers; i++) loop("soak-fetch-" + i, this::fetch);
        for (int i = 0; i < droppers; i++) loop("soak-drop-" + i, this::dropMidTransfer);
        SplittableRandom random = new SplittableRandom(11);
        loop("soak-udp", () -> {
            byte[] data = new byte[random.nextInt(1, 1400)];
            random.nextBytes(data);
            pair.peer().udp().write(UDP_PORT, StackPair.STACK_IP, StackPair.UDP_ECHO_PORT, Unpooled.wrappedBuffer(data));
            Thread.sleep(2);
        });
        int[] sequence = {0};
        loop("soak-ping", () -> {
            if (pair.ping(++sequence[0] & 0xFFFF, Duration.ofSeconds(1))) pings.incrementAndGet();
            Thread.sleep(1000);
        });
    }

    Counts counts() {
        return new Counts(httpOk.get(), httpFailed.get(), aborted.get(), udpEchoed.get(), pings.get());
    }

    /** Stops the load and waits for it. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(Duration.ofSeconds(30));
    }

    private interface Step {
        void run() throws Exception;
    }

    private void loop(String name, Step step) {
        threads.add(Thread.ofVirtual().name(name).start(() -> {
            while (running) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    httpFailed.incrementAndGet(); // only fetches and drops throw what a lossy link can cause
                }
            }
        }));
    }

    private void fetch() throws Exception {
        String page = pair.httpGet(TIMEOUT);
        (page.startsWith(HttpPage.STATUS) ? httpOk : httpFailed).incrementAndGet();
    }

    private void dropMidTransfer() throws Exception {
        try (Flow flow = pair.peer().tcp().connect(StackPair.STACK_IP, StackPair.HTTP_PORT)) {
            flow.setReadTimeout(TIMEOUT);
            flow.write(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: soak\r\n\r\n", US_ASCII));
            ByteBuf first = flow.read(); // the first bytes of the page; then we hang up on the rest
            if (first != null) first.release();
        }
        aborted.incrementAndGet();
    }
}
