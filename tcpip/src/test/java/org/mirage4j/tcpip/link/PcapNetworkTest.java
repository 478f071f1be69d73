package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.testing.Gen;

class PcapNetworkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** 2024-01-01T00:00:00Z plus a fraction with all nine digits in use. */
    private static final Instant START = Instant.parse("2024-01-01T00:00:00.123456789Z");
    /** A step of one second and one nanosecond, so both timestamp fields change from record to record. */
    private static final long STEP = 1_000_000_001L;

    @TempDir
    Path dir;

    private final ScriptedNetwork wire = new ScriptedNetwork();
    private final Gen gen = new Gen(0x9cab);

    /**
     * Connects a capture of {@code wire} to {@code file}, lets {@code frames} through (even ones received, odd ones
     * sent, one at a time so the order is known), disconnects, and returns the frames in the order they passed.
     */
    private List<byte[]> runTraffic(PcapNetwork pcap, int frames) throws Exception {
        pcap.connect();
        Listener listener = new Listener(pcap);
        List<byte[]> passed = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            byte[] frame = FrameBytes.numbered(i, gen.intBetween(60, 1514), gen);
            passed.add(frame);
            if (i % 2 == 0) {
                int before = listener.arrivals.size();
                wire.receive(frame);
                Listener.await(() -> listener.arrivals.size() == before + 1, WAIT, "frame " + i);
            } else {
                pcap.write(frame.length, out -> out.writeBytes(frame));
            }
        }
        pcap.disconnect();
        listener.join();
        assertThat(listener.failures).isEmpty();
        assertThat(wire.failures).isEmpty();
        // The traffic itself is untouched.
        assertThat(listener.frames()).containsExactlyElementsOf(everyOther(passed, 0));
        assertThat(wire.sent).containsExactlyElementsOf(everyOther(passed, 1));
        return passed;
    }

    private static List<byte[]> everyOther(List<byte[]> frames, int first) {
        List<byte[]> out = new ArrayList<>();
        for (int i = first; i < frames.size(); i += 2) out.add(frames.get(i));
        return out;
    }

    @Test
    void capturesEveryFrameReceivedAndSentWithItsTime() throws Exception {
        Path file = dir.resolve("stack.pcap");
        SteppingClock clock = new SteppingClock(START, STEP);
        PcapNetwork pcap = new PcapNetwork(wire, file, clock);
        List<byte[]> passed = runTraffic(pcap, 9);

        PcapFile capture = PcapFile.read(file);
        assertThat(capture.magic()).isEqualTo(0xa1b23c4d);
        assertThat(capture.nanoseconds()).isTrue();
        assertThat(capture.versionMajor()).isEqualTo(2);
        assertThat(capture.versionMinor()).isEqualTo(4);
        assertThat(capture.snaplen()).isEqualTo(65_535);
        assertThat(capture.linkType()).as("LINKTYPE_ETHERNET").isEqualTo(1);
        assertThat(capture.records()).hasSize(9);
        for (int i = 0; i < 9; i++) {
            PcapFile.Record r = capture.records().get(i);
            assertThat(r.bytes()).as("record %d", i).isEqualTo(passed.get(i));
            assertThat(r.includedLength()).isEqualTo(passed.get(i).length);
            assertThat(r.originalLength()).isEqualTo(passed.get(i).length);
            assertThat(r.time()).isEqualTo(clock.at(i));
        }
        assertThat(pcap.captured()).isEqualTo(9);
        assertThat(pcap.captureDropped()).isZero();
        assertThat(wire.connects).hasValue(1);
        assertThat(wire.disconnects).hasValue(1);
    }

    @Test
    void anEmptyCaptureIsAValidFile() throws Exception {
        Path file = dir.resolve("empty.pcap");
        PcapNetwork pcap = new PcapNetwork(wire, file);
        pcap.connect();
        assertThat(PcapFile.read(file).records()).as("readable while connected").isEmpty();
        pcap.disconnect();
        assertThat(Files.size(file)).isEqualTo(24);
        assertThat(PcapFile.read(file).records()).isEmpty();
    }

    @Test
    void anExistingFileIsReplaced() throws Exception {
        Path file = dir.resolve("old.pcap");
        Files.writeString(file, "not a capture, and longer than a pcap header of twenty-four bytes");
        PcapNetwork pcap = new PcapNetwork(wire, file);
        pcap.connect();
        pcap.disconnect();
        assertThat(PcapFile.read(file).records()).isEmpty();
    }

    @Test
    void tcpdumpReadsEveryRecordAndItsTime() throws Exception {
        Path file = dir.resolve("tcpdump.pcap");
        SteppingClock clock = new SteppingClock(START, STEP);
        int frames = 25;
        runTraffic(new PcapNetwork(wire, file, clock), frames);

        Process tcpdump;
        try {
            tcpdump = new ProcessBuilder("tcpdump", "-r", file.toString(), "-nn", "-tt", "--time-stamp-precision=nano")
                    .redirectErrorStream(false).start();
        } catch (IOException e) {
            boolean ci = "true".equals(System.getenv("CI"));
            if (ci) throw new AssertionError("tcpdump is missing; CI must install the Debian package tcpdump", e);
            assumeTrue(false, "tcpdump is not installed (apt-get install tcpdump), so the capture is not checked by it");
            return;
        }
        String out = new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(tcpdump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tcpdump.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tcpdump.exitValue()).as(err).isZero();
        assertThat(err).contains("EN10MB");
        // One line per packet; tcpdump adds indented lines of hex for the payload of an unknown EtherType.
        List<String> lines = out.lines().filter(line -> !line.isEmpty() && !Character.isWhitespace(line.charAt(0))).toList();
        assertThat(lines).as(out).hasSize(frames);
        for (int i = 0; i < frames; i++) {
            Instant t = clock.at(i);
            String stamp = t.getEpochSecond() + "." + String.format("%09d", t.getNano());
            assertThat(lines.get(i)).startsWith(stamp + " ").contains("02:00:00:00:00:01 > 02:00:00:00:00:02")
                    .contains("0x88b5");
        }
    }

    @Test
    void aMissingDirectoryIsOneSentenceNamingThePath() {
        Path file = dir.resolve("no-such-dir").resolve("stack.pcap");
        PcapNetwork pcap = new PcapNetwork(wire, file);
        assertThatThrownBy(pcap::connect)
                .isInstanceOf(DeviceException.class)
                .hasMessage("Cannot create pcap file " + file + " because its directory does not exist;"
                        + " create the directory or give --pcap a path in an existing one.")
                .satisfies(e -> FaultSpecTest.assertOneSentence(e.getMessage()));
        assertThat(wire.connects).as("the wrapped device is left alone").hasValue(0);
        pcap.disconnect();
    }

    @Test
    void aDirectoryIsOneSentenceNamingThePath() {
        PcapNetwork pcap = new PcapNetwork(wire, dir);
        assertThatThrownBy(pcap::connect)
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("Cannot write a pcap capture to " + dir + " because it is a directory;")
                .hasMessageContaining(dir.resolve("stack.pcap").toString())
                .satisfies(e -> FaultSpecTest.assertOneSentence(e.getMessage()));
    }

    @Test
    void aWrappedDeviceThatCannotConnectLeavesAnEmptyCapture() throws Exception {
        Path file = dir.resolve("failed.pcap");
        DeviceException busy = new DeviceException("The tap interface is busy.");
        PcapNetwork pcap = new PcapNetwork(BrokenNetwork.failingConnect(wire, busy), file);
        assertThatThrownBy(pcap::connect).isSameAs(busy);
        assertThat(PcapFile.read(file).records()).isEmpty();
        pcap.disconnect();
    }

    @Test
    void connectingTwiceIsRefused() throws Exception {
        PcapNetwork pcap = new PcapNetwork(wire, dir.resolve("twice.pcap"));
        pcap.connect();
        assertThatThrownBy(pcap::connect).isInstanceOf(IllegalStateException.class);
        pcap.disconnect();
        assertThat(pcap.mac()).isEqualTo(ScriptedNetwork.MAC);
        assertThat(pcap.mtu()).isEqualTo(ScriptedNetwork.MTU);
    }
}
