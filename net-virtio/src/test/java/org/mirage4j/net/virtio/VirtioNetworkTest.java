package org.mirage4j.net.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.NetworkStats;
import org.mirage4j.api.net.Offloads;
import org.mirage4j.api.net.VirtioNetHeader;
import org.mirage4j.virtio.DeviceStatus;
import org.mirage4j.virtio.testing.Misbehaviour;
import org.mirage4j.virtio.testing.SoftwareDmaMemory;
import org.mirage4j.virtio.testing.SoftwareNetDevice;
import org.mirage4j.virtio.testing.SoftwareVirtioBus;

/** The virtio-net driver against the software net device, modern and legacy. */
class VirtioNetworkTest {

    /** The device flavours every path runs against. */
    enum Flavour {
        MODERN, MODERN_NO_EVENT_INDEX, LEGACY_HEADER_APART, LEGACY_ANY_LAYOUT;

        SoftwareNetDevice make(SoftwareDmaMemory memory) {
            MacAddress mac = MacAddress.parse("52:54:00:ab:cd:ef");
            return switch (this) {
                case MODERN -> new SoftwareNetDevice(memory, false, 256, mac, 0, true, false);
                case MODERN_NO_EVENT_INDEX -> new SoftwareNetDevice(memory, false, 64, mac, 0, false, false);
                case LEGACY_HEADER_APART -> new SoftwareNetDevice(memory, true, 128, mac, 0, false, false);
                case LEGACY_ANY_LAYOUT -> new SoftwareNetDevice(memory, true, 256, mac, 0, true, true);
            };
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SoftwareDmaMemory memory = new SoftwareDmaMemory();
    private final SoftwareVirtioBus bus = new SoftwareVirtioBus(memory);
    private final List<VirtioNetwork> connected = new ArrayList<>();
    private final List<Thread> listeners = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        connected.forEach(VirtioNetwork::disconnect);
        for (Thread t : listeners) t.join(WAIT.toMillis());
    }

    private VirtioNetwork connect() throws IOException {
        VirtioNetwork net = new VirtioNetwork(bus);
        net.connect();
        connected.add(net);
        return net;
    }

    /** Runs the receive loop on a platform thread; its outcome (null or the exception) completes the future. */
    private CompletableFuture<Throwable> listen(VirtioNetwork net, Consumer<ByteBuf> handler) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("listen").start(() -> {
            try {
                net.listen(handler);
                done.complete(null);
            } catch (Throwable e) {
                done.complete(e);
            }
        });
        listeners.add(t);
        return done;
    }

    /** A handler that copies each frame and releases it. */
    private static Consumer<ByteBuf> copyInto(BlockingQueue<byte[]> received) {
        return frame -> {
            try {
                byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                received.add(bytes);
            } finally {
                frame.release();
            }
        };
    }

    private static byte[] frame(SplittableRandom random, int length) {
        byte[] f = new byte[length];
        random.nextBytes(f);
        return f;
    }

    private static void send(VirtioNetwork net, byte[] frame) throws IOException {
        net.write(frame.length, buf -> buf.writeBytes(frame));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void thousandsOfFramesCrossBothWaysByteForByte(Flavour flavour) throws Exception {
        SoftwareNetDevice device = bus.add(flavour.make(memory));
        VirtioNetwork net = connect();
        assertThat(net.mac()).isEqualTo(MacAddress.parse("52:54:00:ab:cd:ef"));
        assertThat(net.mtu()).isEqualTo(1500);
        assertThat(device.acceptedFeatures() & SoftwareNetDevice.BAIT_FEATURES).as("no MRG_RXBUF, no STATUS").isZero();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> loop = listen(net, copyInto(received));
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int frames = 3000;

        List<byte[]> in = new ArrayList<>();
        List<byte[]> out = new ArrayList<>();
        long rxBytes = 0;
        long txBytes = 0;
        for (int i = 0; i < frames; i++) {
            byte[] f = frame(random, random.nextInt(14, 1515));
            in.add(f);
            rxBytes += f.length;
            device.inject(f);
            byte[] g = frame(random, random.nextInt(14, 1515));
            out.add(g);
            txBytes += g.length;
            send(net, g);
        }
        for (int i = 0; i < frames; i++) {
            assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("frame %d in (seed %d)", i, seed).isEqualTo(in.get(i));
            assertThat(device.takeSent(WAIT)).as("frame %d out (seed %d)", i, seed).isEqualTo(out.get(i));
        }
        assertThat(net.stats()).isEqualTo(new NetworkStats(frames, rxBytes, 0, frames, txBytes, 0));
        assertThat(device.badHeaders()).isZero();
        assertThat(device.fault()).isNull();
        assertThat(net.deviceErrors()).isZero();

        net.disconnect();
        assertThat(loop.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
        assertThat(memory.liveRegions()).as("every ring and buffer freed").isZero();
        assertThat(device.claimed()).isFalse();
    }

    @Test
    void offloadsAreOfferedByAModernDeviceOnlyAndGrantedAsAsked() throws Exception {
        bus.add(Flavour.MODERN.make(memory));
        VirtioNetwork modern = connect();
        assertThat(modern.enableOffloads(new Offloads(true, false, false, 0))).isEqualTo(new Offloads(true, false, false, 0));
        assertThat(modern.enableOffloads(Offloads.ALL))
                .as("checksum both ways and TSO4; no large receive: buffers hold one frame of the MTU")
                .isEqualTo(new Offloads(true, true, false, Offloads.MAX_FRAME_SIZE));

        bus.add(Flavour.LEGACY_ANY_LAYOUT.make(memory));
        VirtioNetwork legacy = connect();
        assertThat(legacy.enableOffloads(Offloads.ALL)).as("a legacy header is not the 12 octets the stack writes").isEqualTo(Offloads.NONE);
    }

    /** A UDP/IPv4 frame whose checksum field holds its pseudo-header's sum, as a sender offloading it leaves it. */
    private static byte[] partialUdpFrame(SplittableRandom random, int payload) {
        byte[] f = frame(random, 42 + payload);
        f[12] = 0x08;
        f[13] = 0x00;
        f[40] = (byte) 0x12; // the pseudo-header's sum, whatever it is: the device adds the rest
        f[41] = (byte) 0x34;
        return f;
    }

    /** The ones' complement sum of {@code f} from {@code start} to the end plus {@code pseudoHeader}, folded. */
    private static int onesComplementSum(byte[] f, int start, int pseudoHeader) {
        long sum = pseudoHeader;
        for (int i = start; i < f.length; i += 2) sum += ((f[i] & 0xFF) << 8) | (i + 1 < f.length ? f[i + 1] & 0xFF : 0);
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) sum;
    }

    private static final byte[] NEEDS_CSUM_UDP = {VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 0, 0, 34, 0, 6, 0, 0, 0};

    @Test
    void aPartialChecksumIsFinishedByTheDriverUntilTheStackTakesOffloads() throws Exception {
        SoftwareNetDevice device = bus.add(Flavour.MODERN.make(memory));
        VirtioNetwork net = connect();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        listen(net, copyInto(received));
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);

        for (int length : new int[] {0, 1, 2, 3, 1000, 1458}) {
            byte[] sent = partialUdpFrame(random, length);
            device.inject(sent, NEEDS_CSUM_UDP);
            byte[] got = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(got).as("seed %d", seed).hasSameSizeAs(sent);
            assertThat(onesComplementSum(got, 34, 0x1234)).as("with the pseudo-header, a whole checksum verifies (seed %d, %d octets)", seed, length).isEqualTo(0xFFFF);
            assertThat(java.util.Arrays.copyOfRange(got, 0, 40)).isEqualTo(java.util.Arrays.copyOfRange(sent, 0, 40));
        }

        byte[] beyond = {VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 0, 0, 34, 0, 100, 0, 0, 0}; // the field past the frame
        device.inject(partialUdpFrame(random, 10), beyond);
        byte[] after = frame(random, 60);
        device.inject(after);
        assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the bad one dropped, the next delivered").isEqualTo(after);
        assertThat(net.stats().rxDropped()).isEqualTo(1);
    }

    @Test
    void withOffloadsOnReceivedFramesCarryTheirHeaderAndPartialChecksumsAreTheStacks() throws Exception {
        SoftwareNetDevice device = bus.add(Flavour.MODERN.make(memory));
        VirtioNetwork net = connect();
        net.enableOffloads(Offloads.ALL);
        BlockingQueue<int[]> headers = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        listen(net, frame -> {
            try {
                headers.add(new int[] {VirtioNetHeader.flags(frame), VirtioNetHeader.checksumStart(frame), VirtioNetHeader.checksumOffset(frame)});
                byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                received.add(bytes);
            } finally {
                frame.release();
            }
        });
        byte[] sent = partialUdpFrame(new SplittableRandom(7), 100);
        device.inject(sent, NEEDS_CSUM_UDP);
        assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("left as the device gave it").isEqualTo(sent);
        assertThat(headers.poll()).containsExactly(VirtioNetHeader.F_NEEDS_CSUM, 34, 6);
    }

    @Test
    void offloadsTurnedOffAgainGiveThePlainFramesBack() throws Exception {
        SoftwareNetDevice device = bus.add(Flavour.MODERN.make(memory));
        VirtioNetwork net = connect();
        net.enableOffloads(Offloads.ALL);
        assertThat(net.enableOffloads(Offloads.NONE)).isEqualTo(Offloads.NONE);
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        listen(net, copyInto(received));
        device.inject(partialUdpFrame(new SplittableRandom(5), 100), NEEDS_CSUM_UDP);
        assertThat(onesComplementSum(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), 34, 0x1234))
                .as("the driver finishes partial checksums again").isEqualTo(0xFFFF);
        assertThatThrownBy(() -> send(net, new byte[2000])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manySegmentationRequestsAndSmallFramesShareTheRing() throws Exception {
        SoftwareNetDevice device = bus.add(Flavour.MODERN.make(memory));
        VirtioNetwork net = connect();
        net.enableOffloads(Offloads.ALL);
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] f = frame(random, i % 3 == 0 ? random.nextInt(1515, 65_550) : random.nextInt(14, 1515));
            out.add(f);
            send(net, f);
        }
        for (byte[] f : out) assertThat(device.takeSent(WAIT)).isEqualTo(f);
        assertThat(net.stats().txErrors()).isZero();
    }

    @Test
    void withSegmentationOnAFrameOf64KiBGoesOutWithTheHeaderTheStackWrote() throws Exception {
        SoftwareNetDevice device = bus.add(Flavour.MODERN.make(memory));
        VirtioNetwork net = connect();
        byte[] big = frame(new SplittableRandom(3), 60_054);
        assertThatThrownBy(() -> send(net, big)).as("without offloads, frames of the MTU only")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1514 bytes");

        net.enableOffloads(Offloads.ALL);
        net.write(big.length, buf -> {
            buf.writeBytes(big);
            VirtioNetHeader.requestChecksum(buf, 34, 16);
            VirtioNetHeader.requestSegmentation(buf, VirtioNetHeader.GSO_TCPV4, 66, 1448);
        });
        send(net, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}); // an ordinary frame after it: a zero header

        byte[] first = device.takeSentWithHeader(WAIT);
        assertThat(java.util.Arrays.copyOfRange(first, 0, 12))
                .containsExactly(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 66, 0, (byte) 0xa8, 5, 34, 0, 16, 0, 0, 0);
        assertThat(java.util.Arrays.copyOfRange(first, 12, first.length)).isEqualTo(big);
        assertThat(device.takeSentWithHeader(WAIT)).startsWith(new byte[12]);
        assertThat(device.badHeaders()).isZero();
    }

    @Test
    void theMtuAndMacComeFromTheDevice() throws Exception {
        SoftwareNetDevice device = bus.add(new SoftwareNetDevice(memory, false, 256, MacAddress.parse("02:11:22:33:44:55"), 9000, true, false));
        VirtioNetwork net = connect();
        assertThat(net.mac()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
        assertThat(net.mtu()).isEqualTo(9000);
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        listen(net, copyInto(received));

        byte[] jumbo = frame(new SplittableRandom(1), 9014);
        device.inject(jumbo);
        send(net, jumbo);
        assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(jumbo);
        assertThat(device.takeSent(WAIT)).isEqualTo(jumbo);
        assertThatThrownBy(() -> net.write(9015, buf -> {})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9014");
    }

    @Test
    void aDeviceWithoutMacGetsALocallyAdministeredOne() throws Exception {
        bus.add(new SoftwareNetDevice(memory, false, 256, null, 0, true, false));
        VirtioNetwork net = connect();
        assertThat(net.mac().isLocallyAdministered()).isTrue();
        assertThat(net.mac().isMulticast()).isFalse();
    }

    @Test
    void framesHeldByTheStackAreNotCopiedAndGoBackToThePoolOnRelease() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        BlockingQueue<ByteBuf> held = new LinkedBlockingQueue<>();
        listen(net, held::add);
        int inRing = net.receiveBuffersInUse();
        for (int i = 0; i < 300; i++) device.inject(new byte[] {(byte) i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});

        List<ByteBuf> frames = new ArrayList<>();
        for (int i = 0; i < 300; i++) frames.add(held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(frames).allSatisfy(f -> assertThat(f.isDirect()).isTrue());
        assertThat(frames.get(299).getByte(0)).isEqualTo((byte) 43);
        net.disconnect();
        assertThat(memory.liveRegions()).as("held frames keep their pool alive").isPositive();
        assertThat(frames.get(7).getByte(0)).isEqualTo((byte) 7);

        frames.forEach(ByteBuf::release);
        assertThat(memory.liveRegions()).isZero();
        assertThat(inRing).isPositive();
    }

    @Test
    void whenTheStackHoldsEveryBufferTheRingWaitsAndRefillsOnRelease() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.legacy(memory)); // 64 buffers in the ring, 128 in the pool
        VirtioNetwork net = connect();
        BlockingQueue<ByteBuf> held = new LinkedBlockingQueue<>();
        listen(net, held::add);
        for (int i = 0; i < 300; i++) device.inject(new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});

        List<ByteBuf> first = new ArrayList<>();
        for (ByteBuf f; (f = held.poll(300, TimeUnit.MILLISECONDS)) != null; ) first.add(f);
        assertThat(first).as("the whole pool, then nothing").hasSize(128);
        assertThat(device.waitingForDriver()).isEqualTo(300 - 128);

        first.forEach(ByteBuf::release);
        for (int i = 128; i < 300; i++) {
            ByteBuf f = held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                assertThat(f.getByte(0)).isEqualTo((byte) i);
            } finally {
                f.release();
            }
        }
        assertThat(net.stats().rxDropped()).isZero();
    }

    @Test
    void aHandlerThatThrowsDoesNotStopTheLoop() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        Consumer<ByteBuf> copy = copyInto(received);
        CompletableFuture<Throwable> loop = listen(net, frame -> {
            boolean odd = (frame.getByte(0) & 1) == 1;
            copy.accept(frame);
            if (odd) throw new IllegalStateException("a handler bug");
        });
        for (int i = 0; i < 10; i++) device.inject(new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < 10; i++) assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)[0]).isEqualTo((byte) i);
        assertThat(loop).isNotDone();
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        listen(net, ByteBuf::release);
        int writers = 8;
        int each = 500;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        net.write(64, buf -> buf.writeInt(writer).writeInt(n).writeZero(56));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < writers * each; i++) {
            byte[] f = device.takeSent(WAIT);
            assertThat(f).hasSize(64);
            seen.add(ByteBuffer.wrap(f).getInt(0) + "/" + ByteBuffer.wrap(f).getInt(4));
        }
        assertThat(seen).hasSize(writers * each);
        assertThat(net.stats().txPackets()).isEqualTo(writers * each);
        assertThat(net.stats().txErrors()).isZero();
    }

    @Test
    void aFullTransmitRingBlocksThenDropsAndCountsThenRecovers() throws Exception {
        SoftwareNetDevice device = bus.add(new SoftwareNetDevice(memory, false, 16, null, 0, true, false));
        VirtioNetwork net = connect();
        device.stall(true);
        for (int i = 0; i < 16; i++) send(net, new byte[60]);

        long start = System.nanoTime();
        send(net, new byte[60]);
        long waited = System.nanoTime() - start;

        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Transmitter.FULL_WAIT.minusMillis(50));
        assertThat(net.stats().txErrors()).isEqualTo(1);
        assertThat(net.stats().txPackets()).isEqualTo(16);

        device.stall(false);
        for (int i = 0; i < 16; i++) assertThat(device.takeSent(WAIT)).hasSize(60);
        for (int i = 0; i < 40; i++) send(net, new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < 40; i++) assertThat(device.takeSent(WAIT)[0]).isEqualTo((byte) i);
        assertThat(net.stats().txErrors()).isEqualTo(1);
    }

    @Test
    void aWriterWaitingForRoomGetsItWhenTheDeviceCatchesUp() throws Exception {
        SoftwareNetDevice device = bus.add(new SoftwareNetDevice(memory, false, 16, null, 0, true, false));
        VirtioNetwork net = connect();
        device.stall(true);
        for (int i = 0; i < 16; i++) send(net, new byte[60]);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                send(net, new byte[61]);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        assertThat(blocked).isNotDone();
        device.stall(false);
        blocked.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < 16; i++) device.takeSent(WAIT);
        assertThat(device.takeSent(WAIT)).hasSize(61);
        assertThat(net.stats().txErrors()).isZero();
    }

    @Test
    void disconnectWhileListeningEndsTheLoopAndFailsLaterWrites() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        CompletableFuture<Throwable> loop = listen(net, ByteBuf::release);
        Thread.sleep(50);

        long start = System.nanoTime();
        net.disconnect();
        assertThat(loop.get(1, TimeUnit.SECONDS)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

        assertThatThrownBy(() -> send(net, new byte[60])).isInstanceOf(IOException.class).hasMessageContaining("disconnected");
        net.listen(ByteBuf::release); // returns at once
        assertThat(device.claimed()).isFalse();
        assertThat(device.status()).isZero();
        assertThat(memory.liveRegions()).isZero();

        net.connect(); // the device is claimable again
        assertThat(device.claimed()).isTrue();
    }

    @Test
    void disconnectFromTheHandlerEndsTheLoop() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        CompletableFuture<Throwable> loop = listen(net, frame -> {
            frame.release();
            net.disconnect();
        });
        device.inject(new byte[60]);
        assertThat(loop.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
        assertThat(device.claimed()).isFalse();
        assertThat(memory.liveRegions()).isZero();
    }

    @Test
    void aMisbehavingDeviceIsCountedAndTheDriverGoesOn() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> loop = listen(net, copyInto(received));
        device.misbehave(Misbehaviour.LENGTH_TOO_LONG, 3);
        device.misbehave(Misbehaviour.ID_OUT_OF_RANGE, 2);
        device.misbehave(Misbehaviour.ID_REPEATED, 2);

        int frames = 40;
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < frames; i++) device.inject(new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < frames - 3; i++) got.add((int) received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)[0]);
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("the three frames of bad length were dropped").isNull();

        assertThat(got).hasSize(frames - 3);
        assertThat(net.deviceErrors()).isEqualTo(7);
        assertThat(net.stats().rxDropped()).isEqualTo(3);
        assertThat(loop).isNotDone();
        device.inject(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
        assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).hasSize(14);
        send(net, new byte[20]);
        assertThat(device.takeSent(WAIT)).hasSize(20);
    }

    @Test
    void aBrokenUsedRingFailsTheDeviceWithOneSentence() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        CompletableFuture<Throwable> loop = listen(net, ByteBuf::release);
        device.misbehave(Misbehaviour.USED_INDEX_JUMP, 1);
        device.inject(new byte[60]);

        assertThat(loop.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("used index jumped").hasMessageEndingWith("gave up on it.");
        assertThat(device.status() & DeviceStatus.FAILED).isNotZero();
        assertThatThrownBy(() -> send(net, new byte[60])).isInstanceOf(IOException.class).hasMessageContaining("used index jumped");
    }

    @Test
    void aDeviceThatNeedsAResetEndsTheLoopWithOneSentence() throws Exception {
        SoftwareNetDevice device = bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        CompletableFuture<Throwable> loop = listen(net, ByteBuf::release);
        device.requestReset();

        assertThat(loop.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IOException.class)
                .hasMessage("The virtio-net device reported an error it cannot recover from (DEVICE_NEEDS_RESET); restart the unikernel.");
        assertThat(device.status() & DeviceStatus.FAILED).isNotZero();
    }

    @Test
    void usingTheDeviceBeforeConnectIsAnError() {
        VirtioNetwork net = new VirtioNetwork(bus);
        assertThatThrownBy(net::mac).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> net.listen(ByteBuf::release)).isInstanceOf(IllegalStateException.class);
        assertThat(net.stats()).isEqualTo(new NetworkStats(0, 0, 0, 0, 0, 0));
        assertThatThrownBy(net::connect).isInstanceOf(org.mirage4j.api.DeviceException.class).hasMessageContaining("no free device");
    }

    @Test
    void theSecondListenerIsRefused() throws Exception {
        bus.add(SoftwareNetDevice.modern(memory));
        VirtioNetwork net = connect();
        listen(net, ByteBuf::release);
        Thread.sleep(50);
        assertThatThrownBy(() -> net.listen(ByteBuf::release)).isInstanceOf(IllegalStateException.class);
    }
}
