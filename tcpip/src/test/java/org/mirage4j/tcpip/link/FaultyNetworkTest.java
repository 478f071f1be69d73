package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Network;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

class FaultyNetworkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough that no held frame is released by its hold limit during a test that counts on followers. */
    private static final Duration NEVER = Duration.ofMinutes(10);

    private final ScriptedNetwork wire = new ScriptedNetwork();
    private final Gen gen = new Gen(0x5eed);

    private FaultyNetwork faulty(String spec, Duration maxHold) {
        return new FaultyNetwork(wire, FaultSpec.parse(spec), TrackedHeapAllocator.INSTANCE, maxHold);
    }

    private List<byte[]> frames(int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(FrameBytes.numbered(i, gen.intBetween(60, 120), gen));
        }
        return frames;
    }

    private static List<Integer> numbers(List<byte[]> frames) {
        return frames.stream().map(FrameBytes::number).toList();
    }

    /**
     * Feeds {@code in} to the receive side of a connected {@code net}, waits until every frame that is not dropped
     * has come out (once, or twice if duplicated), disconnects, and returns what the listener got.
     */
    private Listener receive(FaultyNetwork net, List<byte[]> in) throws InterruptedException {
        Listener listener = new Listener(net);
        in.forEach(wire::receive);
        Listener.await(() -> {
            FaultCounts c = net.receiveCounts();
            // Equal only once every frame is through: a frame in flight is either not yet counted or not yet out.
            return wire.pending() == 0 && listener.arrivals.size() == in.size() - c.dropped() + c.duplicated();
        }, WAIT, "the frames to come out");
        net.disconnect();
        listener.join();
        assertThat(listener.failures).isEmpty();
        assertThat(wire.failures).isEmpty();
        return listener;
    }

    /** Writes {@code in} through a connected {@code net}, each frame filled by a filler as a stack would. */
    private static void send(Network net, List<byte[]> in) throws IOException {
        for (byte[] frame : in) {
            net.write(frame.length, out -> out.writeBytes(frame));
        }
    }

    // ---- receive ----------------------------------------------------------------------------------------------

    @Test
    void withoutReceiveFaultsListenIsTheWrappedDevicesOwnLoop() throws Exception {
        FaultyNetwork net = faulty("drop=1,direction=tx", NEVER);
        net.connect();
        List<byte[]> in = frames(20);
        Listener listener = receive(net, in);
        assertThat(listener.frames()).containsExactlyElementsOf(in);
        assertThat(listener.arrivals).allSatisfy(a -> assertThat(a.thread()).isSameAs(listener.thread));
        assertThat(net.receiveCounts()).isEqualTo(FaultCounts.ZERO);
    }

    @Test
    void dropOneLosesEveryReceivedFrame() throws Exception {
        FaultyNetwork net = faulty("drop=1", NEVER);
        net.connect();
        Listener listener = receive(net, frames(30));
        assertThat(listener.arrivals).isEmpty();
        assertThat(net.receiveCounts()).isEqualTo(new FaultCounts(30, 0, 0, 0, 0, 0));
    }

    @Test
    void duplicateOnePassesEveryReceivedFrameTwiceOnListensThread() throws Exception {
        FaultyNetwork net = faulty("duplicate=1", NEVER);
        net.connect();
        List<byte[]> in = frames(10);
        Listener listener = receive(net, in);
        List<byte[]> twice = new ArrayList<>();
        in.forEach(f -> {
            twice.add(f);
            twice.add(f);
        });
        assertThat(listener.frames()).containsExactlyElementsOf(twice);
        assertThat(listener.arrivals).allSatisfy(a -> assertThat(a.thread()).isSameAs(listener.thread));
        assertThat(net.receiveCounts()).isEqualTo(new FaultCounts(0, 10, 0, 0, 0, 0));
    }

    @Test
    void reorderOneLetsTheNextFramesPassEachHeldFrame() throws Exception {
        FaultyNetwork net = faulty("reorder=1", NEVER);
        net.connect();
        Listener listener = receive(net, frames(8));
        assertThat(numbers(listener.frames())).containsExactly(1, 0, 3, 2, 5, 4, 7, 6);
        assertThat(net.receiveCounts()).isEqualTo(new FaultCounts(0, 0, 4, 0, 0, 0));
    }

    @Test
    void reorderAfterKLetsKFramesPass() throws Exception {
        FaultyNetwork net = faulty("reorder=1:3", NEVER);
        net.connect();
        Listener listener = receive(net, frames(8));
        assertThat(numbers(listener.frames())).containsExactly(1, 2, 3, 0, 5, 6, 7, 4);
        assertThat(net.receiveCounts().reordered()).isEqualTo(2);
    }

    @Test
    void aHeldFrameWithoutFollowersComesAfterTheHoldLimit() throws Exception {
        FaultyNetwork net = faulty("reorder=1", FaultyNetwork.MAX_HOLD);
        net.connect();
        Listener listener = new Listener(net);
        long start = System.nanoTime();
        wire.receive(frames(1).getFirst());
        Listener.await(() -> listener.arrivals.size() == 1, WAIT, "the held frame");
        assertThat(listener.arrivals.getFirst().nanoTime() - start)
                .isGreaterThanOrEqualTo(FaultyNetwork.MAX_HOLD.toNanos());
        net.disconnect();
        listener.join();
        assertThat(listener.failures).isEmpty();
    }

    @Test
    void delayOnePassesEveryReceivedFrameLateInOrder() throws Exception {
        FaultyNetwork net = faulty("delay=1:30ms", NEVER);
        net.connect();
        long start = System.nanoTime();
        List<byte[]> in = frames(10);
        Listener listener = receive(net, in);
        assertThat(listener.frames()).containsExactlyElementsOf(in);
        assertThat(listener.arrivals).allSatisfy(a ->
                assertThat(a.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos()));
        assertThat(net.receiveCounts()).isEqualTo(new FaultCounts(0, 0, 0, 10, 0, 0));
    }

    @Test
    void flipOneChangesOneBitOfEveryReceivedFrame() throws Exception {
        FaultyNetwork net = faulty("flip=1", NEVER);
        net.connect();
        List<byte[]> in = frames(30);
        Listener listener = receive(net, in);
        List<byte[]> out = listener.frames();
        assertThat(out).hasSize(30);
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i)).hasSameSizeAs(in.get(i));
            assertThat(FrameBytes.bitsDiffering(in.get(i), out.get(i))).isOne();
        }
        assertThat(net.receiveCounts()).isEqualTo(new FaultCounts(0, 0, 0, 0, 30, 0));
    }

    @Test
    void truncateOneCutsEveryReceivedFrameButKeepsItsHeader() throws Exception {
        FaultyNetwork net = faulty("truncate=1", NEVER);
        net.connect();
        List<byte[]> in = new ArrayList<>(frames(30));
        byte[] headerOnly = new byte[14];
        in.add(headerOnly);
        Listener listener = receive(net, in);
        List<byte[]> out = listener.frames();
        assertThat(out).hasSize(31);
        for (int i = 0; i < 30; i++) {
            assertThat(in.get(i)).startsWith(out.get(i));
            assertThat(out.get(i).length).isBetween(14, in.get(i).length - 1);
        }
        assertThat(out.get(30)).as("a frame no longer than a header is not cut").isEqualTo(headerOnly);
        assertThat(net.receiveCounts()).isEqualTo(new FaultCounts(0, 0, 0, 0, 0, 30));
    }

    @Test
    void theSameSeedDamagesTheSameReceivedFrames() throws Exception {
        String spec = "drop=0.2,duplicate=0.2,flip=0.2,truncate=0.2,seed=42";
        List<byte[]> in = frames(200);
        List<List<byte[]>> runs = new ArrayList<>();
        List<FaultCounts> counts = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            ScriptedNetwork device = new ScriptedNetwork();
            FaultyNetwork net = new FaultyNetwork(device, FaultSpec.parse(spec));
            net.connect();
            Listener listener = new Listener(net);
            in.forEach(device::receive);
            Listener.await(() -> device.pending() == 0
                    && listener.arrivals.size() == in.size() - net.receiveCounts().dropped() + net.receiveCounts().duplicated(),
                    WAIT, "the frames to come out");
            net.disconnect();
            listener.join();
            runs.add(listener.frames());
            counts.add(net.receiveCounts());
        }
        assertThat(runs.get(1)).containsExactlyElementsOf(runs.get(0));
        assertThat(counts.get(1)).isEqualTo(counts.get(0));
        assertThat(counts.get(0).dropped()).as("the faults happened").isPositive();
        assertThat(counts.get(0).truncated()).isPositive();
    }

    @Test
    void framesDelayedAtDisconnectAreReleasedUndelivered() throws Exception {
        FaultyNetwork net = faulty("delay=1:10s", NEVER);
        net.connect();
        Listener listener = new Listener(net);
        frames(5).forEach(wire::receive);
        Listener.await(() -> net.receiveCounts().delayed() == 5, WAIT, "the frames to be delayed");
        net.disconnect();
        listener.join();
        assertThat(listener.arrivals).isEmpty();
        assertThat(listener.failures).isEmpty();
        // The leak check fails this test if a delayed frame was not released.
    }

    @Test
    void listenThrowsWhatTheWrappedLoopThrew() throws Exception {
        IOException gone = new IOException("The tap interface went away.");
        FaultyNetwork net = new FaultyNetwork(BrokenNetwork.failingListen(wire, gone), FaultSpec.parse("drop=0.5"));
        net.connect();
        assertThatThrownBy(() -> net.listen(frame -> frame.release())).isSameAs(gone);
        net.disconnect();
    }

    // ---- send -------------------------------------------------------------------------------------------------

    @Test
    void withoutSendFaultsWritesGoStraightThrough() throws Exception {
        FaultyNetwork net = faulty("drop=1,direction=rx", NEVER);
        net.connect();
        List<byte[]> in = frames(20);
        send(net, in);
        assertThat(wire.sent).containsExactlyElementsOf(in);
        assertThat(net.sendCounts()).isEqualTo(FaultCounts.ZERO);
        net.disconnect();
    }

    @Test
    void dropOneLosesEverySentFrame() throws Exception {
        FaultyNetwork net = faulty("drop=1", NEVER);
        net.connect();
        send(net, frames(30));
        assertThat(wire.sent).isEmpty();
        assertThat(net.sendCounts()).isEqualTo(new FaultCounts(30, 0, 0, 0, 0, 0));
        net.disconnect();
    }

    @Test
    void duplicateOneSendsEveryFrameTwice() throws Exception {
        FaultyNetwork net = faulty("duplicate=1", NEVER);
        net.connect();
        List<byte[]> in = frames(10);
        send(net, in);
        assertThat(numbers(wire.sent)).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9);
        assertThat(wire.sent.get(0)).isEqualTo(in.get(0));
        assertThat(net.sendCounts()).isEqualTo(new FaultCounts(0, 10, 0, 0, 0, 0));
        net.disconnect();
    }

    @Test
    void reorderOneSendsEachHeldFrameAfterTheNext() throws Exception {
        FaultyNetwork net = faulty("reorder=1:2", NEVER);
        net.connect();
        send(net, frames(9));
        assertThat(numbers(wire.sent)).containsExactly(1, 2, 0, 4, 5, 3, 7, 8, 6);
        assertThat(net.sendCounts().reordered()).isEqualTo(3);
        net.disconnect();
    }

    @Test
    void aHeldSentFrameWithoutFollowersGoesAfterTheHoldLimit() throws Exception {
        FaultyNetwork net = faulty("reorder=1", FaultyNetwork.MAX_HOLD);
        net.connect();
        long start = System.nanoTime();
        send(net, frames(1));
        Listener.await(() -> wire.sent.size() == 1, WAIT, "the held frame");
        assertThat(wire.sentNanos.getFirst() - start).isGreaterThanOrEqualTo(FaultyNetwork.MAX_HOLD.toNanos());
        net.disconnect();
    }

    @Test
    void delayOneSendsEveryFrameLate() throws Exception {
        FaultyNetwork net = faulty("delay=1:30ms", NEVER);
        net.connect();
        List<byte[]> in = frames(10);
        long start = System.nanoTime();
        send(net, in);
        assertThat(wire.sent).as("nothing is sent before its delay").isEmpty();
        Listener.await(() -> wire.sent.size() == 10, WAIT, "the delayed frames");
        assertThat(wire.sent).containsExactlyElementsOf(in);
        assertThat(wire.sentNanos).allSatisfy(t -> assertThat(t - start).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos()));
        assertThat(net.sendCounts()).isEqualTo(new FaultCounts(0, 0, 0, 10, 0, 0));
        net.disconnect();
    }

    @Test
    void flipAndTruncateDamageSentFrames() throws Exception {
        FaultyNetwork net = faulty("flip=1,truncate=1", NEVER);
        net.connect();
        List<byte[]> in = frames(30);
        send(net, in);
        assertThat(wire.sent).hasSize(30);
        for (int i = 0; i < in.size(); i++) {
            byte[] out = wire.sent.get(i);
            assertThat(out.length).isBetween(14, in.get(i).length - 1);
            byte[] prefix = Arrays.copyOf(in.get(i), out.length);
            assertThat(FrameBytes.bitsDiffering(prefix, out)).isOne();
        }
        assertThat(net.sendCounts()).isEqualTo(new FaultCounts(0, 0, 0, 0, 30, 30));
        net.disconnect();
    }

    @Test
    void theSameSeedDamagesTheSameSentFrames() throws Exception {
        String spec = "drop=0.1,duplicate=0.1,reorder=0.1:2,flip=0.1,truncate=0.1,seed=-3,direction=tx";
        List<byte[]> in = frames(300);
        List<List<byte[]>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            ScriptedNetwork device = new ScriptedNetwork();
            FaultyNetwork net = new FaultyNetwork(device, FaultSpec.parse(spec), TrackedHeapAllocator.INSTANCE, NEVER);
            net.connect();
            send(net, in);
            net.disconnect();
            runs.add(List.copyOf(device.sent));
            assertThat(net.sendCounts().reordered()).isPositive();
        }
        assertThat(runs.get(1)).containsExactlyElementsOf(runs.get(0));
    }

    @Test
    void aFrameTooLongForTheLinkIsRefused() throws Exception {
        FaultyNetwork net = faulty("flip=1", NEVER);
        net.connect();
        assertThatThrownBy(() -> net.write(ScriptedNetwork.MTU + 15, out -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1514 bytes");
        net.disconnect();
    }

    @Test
    void aFillerThatThrowsLosesNoBuffer() throws Exception {
        FaultyNetwork net = faulty("flip=1", NEVER);
        net.connect();
        IllegalStateException oops = new IllegalStateException("oops");
        assertThatThrownBy(() -> net.write(60, out -> {
            out.writeZero(20);
            throw oops;
        })).isSameAs(oops);
        assertThat(wire.sent).isEmpty();
        net.disconnect();
        // The leak check fails this test if our buffer was not released.
    }

    @Test
    void framesDelayedAtDisconnectAreReleasedUnsent() throws Exception {
        FaultyNetwork net = faulty("delay=1:10s", NEVER);
        net.connect();
        send(net, frames(5));
        net.disconnect();
        assertThat(wire.sent).isEmpty();
        assertThat(net.sendCounts().delayed()).isEqualTo(5);
    }

    // ---- lifecycle and log ------------------------------------------------------------------------------------

    @Test
    void connectAndDisconnectReachTheWrappedDevice() throws Exception {
        FaultyNetwork net = faulty("drop=0.5", NEVER);
        net.connect();
        assertThat(wire.connects).hasValue(1);
        assertThatThrownBy(net::connect).isInstanceOf(IllegalStateException.class);
        net.disconnect();
        assertThat(wire.disconnects).hasValue(1);
        assertThat(net.mac()).isEqualTo(ScriptedNetwork.MAC);
        assertThat(net.mtu()).isEqualTo(ScriptedNetwork.MTU);
    }

    @Test
    void aSpecWithoutSeedGetsOneThatRepeatsTheRun() {
        FaultyNetwork net = new FaultyNetwork(wire, FaultSpec.parse("drop=0.5"));
        assertThat(net.spec().seed()).isPresent();
        assertThat(net.spec().withSeed(0)).isEqualTo(FaultSpec.parse("drop=0.5,seed=0"));
        assertThat(new FaultyNetwork(wire, FaultSpec.parse("drop=0.5,seed=7")).spec().seed()).isEqualTo(OptionalLong.of(7));
    }

    @Test
    void logsTheSeedAtConnectAndTheCountsAtDisconnect() throws Exception {
        Logger logger = Logger.getLogger(FaultyNetwork.LOGGER_NAME);
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            FaultyNetwork net = faulty("drop=1,seed=42", NEVER);
            net.connect();
            send(net, frames(12));
            net.disconnect();
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0)).startsWith("faults: seed 42; injecting into received and sent frames;")
                    .contains("--faults=drop=1,seed=42 repeats this run");
            assertThat(messages.get(1)).isEqualTo("faults: seed 42; dropped 12, duplicated 0, reordered 0, delayed 0,"
                    + " flipped 0, truncated 0 (received: dropped 0, duplicated 0, reordered 0, delayed 0, flipped 0,"
                    + " truncated 0; sent: dropped 12, duplicated 0, reordered 0, delayed 0, flipped 0, truncated 0)");
        } finally {
            logger.removeHandler(handler);
        }
    }

    // ---- any mix ----------------------------------------------------------------------------------------------

    /**
     * Any spec, any frames, both directions at once: every frame comes out exactly as often as the counts say
     * (once, twice if duplicated, never if dropped), nobody sees a released buffer, and the leak check finds no
     * frame left unreleased.
     */
    @Property(tries = 60)
    void everyFrameIsPassedOnOrReleasedExactlyOnce(Gen gen) throws Exception {
        FaultSpec random = FaultSpecTest.randomSpec(gen);
        // Short delays and holds, so that every frame comes out quickly.
        FaultSpec spec = new FaultSpec(random.drop(), random.duplicate(), random.reorder(), gen.intBetween(1, 3),
                random.delay(), Duration.ofMillis(gen.intBetween(1, 3)), random.flip(), random.truncate(),
                OptionalLong.of(gen.longValue()), random.direction());
        ScriptedNetwork device = new ScriptedNetwork();
        FaultyNetwork net = new FaultyNetwork(device, spec, TrackedHeapAllocator.INSTANCE, Duration.ofMillis(2));
        net.connect();
        Listener listener = new Listener(net);
        List<byte[]> toReceive = gen.listOf(0, 40, () -> gen.bytes(0, 120));
        List<byte[]> toSend = gen.listOf(0, 40, () -> gen.bytes(0, 120));
        List<Throwable> sendFailures = new CopyOnWriteArrayList<>();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                send(net, toSend);
            } catch (IOException | RuntimeException e) {
                sendFailures.add(e);
            }
        });
        toReceive.forEach(device::receive);
        sender.join();
        assertThat(sendFailures).isEmpty();
        Listener.await(() -> {
            FaultCounts rx = net.receiveCounts();
            FaultCounts tx = net.sendCounts();
            return device.pending() == 0
                    && listener.arrivals.size() == toReceive.size() - rx.dropped() + rx.duplicated()
                    && device.sent.size() == toSend.size() - tx.dropped() + tx.duplicated();
        }, WAIT, "every frame of " + spec.format());
        net.disconnect();
        listener.join();
        assertThat(listener.failures).isEmpty();
        assertThat(device.failures).isEmpty();
        assertThat(sendFailures).isEmpty();
    }
}
