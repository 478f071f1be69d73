package org.mirage4j.tcpip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.KeyType;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.api.net.Network;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.TrackedHeapAllocator;

class LinksTest {

    @TempDir
    Path dir;

    private final ScriptedNetwork wire = new ScriptedNetwork();

    @Test
    void blankKeysLendTheDeviceAsItIs() throws Exception {
        assertThat(Links.decorate(wire, "", "")).isEqualTo(new BorrowedNetwork(wire));
        assertThat(Links.decorate(wire, "  ", " ")).isEqualTo(new BorrowedNetwork(wire));
    }

    @Test
    void faultsWrapTheDevice() throws Exception {
        Network network = Links.decorate(wire, "", "drop=0.5,seed=9");
        assertThat(network).isInstanceOfSatisfying(FaultyNetwork.class, f -> {
            assertThat(f.inner()).isEqualTo(new BorrowedNetwork(wire));
            assertThat(f.spec()).isEqualTo(FaultSpec.parse("drop=0.5,seed=9"));
        });
    }

    @Test
    void aCaptureWrapsTheDevice() throws Exception {
        Path file = dir.resolve("a.pcap");
        Network network = Links.decorate(wire, file.toString(), "");
        assertThat(network).isInstanceOfSatisfying(PcapNetwork.class, p -> {
            assertThat(p.inner()).isEqualTo(new BorrowedNetwork(wire));
            assertThat(p.file()).isEqualTo(file);
        });
    }

    @Test
    void theCaptureSitsAboveTheFaults() throws Exception {
        Network network = Links.decorate(wire, dir.resolve("b.pcap").toString(), "flip=0.1");
        assertThat(network).isInstanceOfSatisfying(PcapNetwork.class,
                p -> assertThat(p.inner()).isInstanceOfSatisfying(FaultyNetwork.class,
                        f -> assertThat(f.inner()).isEqualTo(new BorrowedNetwork(wire))));
    }

    @Test
    void theDecoratorsStartAndFinishWithoutTouchingTheDevicesLifecycle() throws Exception {
        Path file = dir.resolve("c.pcap");
        Network network = Links.decorate(wire, file.toString(), "drop=0.5");
        network.connect();
        assertThat(PcapFile.read(file).records()).as("the capture file is open").isEmpty();
        network.disconnect();
        assertThat(wire.connects).hasValue(0);
        assertThat(wire.disconnects).hasValue(0);
    }

    @Test
    void badFaultsAreOneSentenceNamingTheKey() {
        assertThatThrownBy(() -> Links.decorate(wire, "", "dorp=0.1"))
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("--faults: 'dorp' is not a fault; use drop, duplicate,")
                .satisfies(e -> FaultSpecTest.assertOneSentence(e.getMessage()));
    }

    @Test
    void badPathIsOneSentenceNamingTheKey() {
        assertThatThrownBy(() -> Links.decorate(wire, "bad\0name.pcap", ""))
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("--pcap=")
                .hasMessageContaining("is not a valid file path");
    }

    @Test
    void declaresBothKeysAsOptionalStrings() {
        assertThat(Links.keys()).extracting(RuntimeKey::name).containsExactly("pcap", "faults");
        assertThat(Links.keys()).allSatisfy(k -> {
            assertThat(k.type()).isEqualTo(KeyType.STRING);
            assertThat(k.defaultText()).hasValue("");
            assertThat(k.doc()).contains("(empty: none)");
        });
    }

    /**
     * With the project's channel link as the device: frames the faults drop on the way in are not in the capture,
     * and what the stack sends is, since the capture shows what the stack saw.
     */
    @Test
    void theCaptureShowsWhatTheStackSawThroughTheFaults() throws Exception {
        ChannelLink link = new ChannelLink(MacAddress.parse("02:00:00:00:00:02"), 1500, 64, TrackedHeapAllocator.INSTANCE);
        Path file = dir.resolve("stack.pcap");
        Network network = Links.decorate(link, file.toString(), "drop=1,direction=rx,seed=5");
        FaultyNetwork faults = (FaultyNetwork) ((PcapNetwork) network).inner();
        link.connect(); // as the runtime does, before the stack connects the decorators
        network.connect();
        Listener listener = new Listener(network);
        Gen gen = new Gen(3);
        for (int i = 0; i < 5; i++) {
            link.inject(FrameBytes.numbered(i, 80, gen));
        }
        List<byte[]> sent = new ArrayList<>();
        for (int i = 100; i < 103; i++) {
            byte[] frame = FrameBytes.numbered(i, 90, gen);
            sent.add(frame);
            network.write(frame.length, out -> out.writeBytes(frame));
        }
        Listener.await(() -> faults.receiveCounts().dropped() == 5, Duration.ofSeconds(10), "the received frames");
        List<byte[]> onTheWire = new ArrayList<>();
        for (ByteBuf frame; (frame = link.poll()) != null; ) {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            frame.release();
            onTheWire.add(bytes);
        }
        network.disconnect();
        link.disconnect(); // as the runtime does after the stack; this ends listen
        listener.join();
        assertThat(listener.arrivals).isEmpty();
        assertThat(onTheWire).containsExactlyElementsOf(sent);
        assertThat(PcapFile.read(file).records()).extracting(PcapFile.Record::bytes).containsExactlyElementsOf(sent);
    }
}
