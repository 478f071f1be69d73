package org.mirage4j.virtio.mmio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.virtio.linux.Registers;

/** The transport's register traffic, over ordinary memory standing in for the device's window. */
class MmioTransportTest {

    private final Arena arena = Arena.ofAuto();

    private MemorySegment window(int version, int deviceId) {
        MemorySegment m = arena.allocate(0x200, 8);
        m.set(ValueLayout.JAVA_INT, MmioTransport.MAGIC_VALUE, MmioTransport.MAGIC);
        m.set(ValueLayout.JAVA_INT, MmioTransport.VERSION, version);
        m.set(ValueLayout.JAVA_INT, MmioTransport.DEVICE_ID, deviceId);
        return m;
    }

    private static int at(MemorySegment m, int offset) {
        return m.get(ValueLayout.JAVA_INT, offset);
    }

    @Test
    void probeTellsDevicesFromEmptySlotsAndOtherMemory() {
        assertThat(MmioTransport.probe(new Registers(window(2, 1)))).isEqualTo(1);
        assertThat(MmioTransport.probe(new Registers(window(1, 2)))).isEqualTo(2);
        assertThat(MmioTransport.probe(new Registers(window(2, 0)))).isZero();
        assertThat(MmioTransport.probe(new Registers(window(3, 1)))).isZero();
        MemorySegment wrongMagic = window(2, 1);
        wrongMagic.set(ValueLayout.JAVA_INT, 0, 0xffff_ffff);
        assertThat(MmioTransport.probe(new Registers(wrongMagic))).isZero();
        assertThat(MmioTransport.probe(new Registers(window(2, 1).asSlice(0, 0x80)))).isZero();
    }

    @Test
    void version2QueuesTakeThreeAddressesAndReady() throws Exception {
        MemorySegment m = window(2, 1);
        m.set(ValueLayout.JAVA_INT, MmioTransport.QUEUE_NUM_MAX, 1024);
        m.set(ValueLayout.JAVA_BYTE, MmioTransport.CONFIG + 5, (byte) 0x57);
        int[] released = new int[1];
        MmioTransport t = new MmioTransport(new Registers(m), List.of(() -> released[0]++));
        assertThat(t.legacy()).isFalse();
        assertThat(t.deviceType()).isEqualTo(1);
        assertThat(t.queueMaxSize(1)).isEqualTo(1024);
        t.enableQueue(1, 256, 0x1_0000_1000L, 0x2000, 0x3000);
        assertThat(at(m, MmioTransport.QUEUE_SEL)).isEqualTo(1);
        assertThat(at(m, MmioTransport.QUEUE_NUM)).isEqualTo(256);
        assertThat(m.get(ValueLayout.JAVA_LONG, MmioTransport.QUEUE_DESC)).isEqualTo(0x1_0000_1000L);
        assertThat(m.get(ValueLayout.JAVA_LONG, MmioTransport.QUEUE_DRIVER)).isEqualTo(0x2000);
        assertThat(m.get(ValueLayout.JAVA_LONG, MmioTransport.QUEUE_DEVICE)).isEqualTo(0x3000);
        assertThat(at(m, MmioTransport.QUEUE_READY)).isEqualTo(1);
        t.driverFeatures(0x1_0000_0003L);
        assertThat(at(m, MmioTransport.DRIVER_FEATURES_SEL)).isEqualTo(1);
        assertThat(at(m, MmioTransport.DRIVER_FEATURES)).isEqualTo(1);
        t.notifyQueue(1);
        assertThat(at(m, MmioTransport.QUEUE_NOTIFY)).isEqualTo(1);
        assertThat(t.readConfig(5, 1)).isEqualTo(0x57);
        assertThatThrownBy(() -> t.readConfig(0xfe, 4)).isInstanceOf(IndexOutOfBoundsException.class);

        m.set(ValueLayout.JAVA_INT, MmioTransport.INTERRUPT_STATUS, 1);
        assertThat(t.awaitInterrupt(Duration.ofMillis(1))).isTrue();
        assertThat(at(m, MmioTransport.INTERRUPT_ACK)).isEqualTo(1);
        t.status(0x0f);
        t.close();
        t.close();
        assertThat(at(m, MmioTransport.STATUS)).isZero();
        assertThat(released[0]).isEqualTo(1);
        assertThatThrownBy(() -> t.awaitInterrupt(Duration.ofMillis(1))).hasMessageContaining("closed");
    }

    @Test
    void legacyQueuesTakeAPageFrameNumber() {
        MemorySegment m = window(1, 2);
        m.set(ValueLayout.JAVA_INT, MmioTransport.DEVICE_FEATURES, 0x44);
        MmioTransport t = new MmioTransport(new Registers(m), List.of());
        assertThat(t.legacy()).isTrue();
        assertThat(t.deviceFeatures()).isEqualTo(0x44);
        assertThat(at(m, MmioTransport.DEVICE_FEATURES_SEL)).isZero();
        t.enableQueue(0, 128, 0x45_6000L, 0, 0);
        assertThat(at(m, MmioTransport.GUEST_PAGE_SIZE)).isEqualTo(4096);
        assertThat(at(m, MmioTransport.QUEUE_ALIGN)).isEqualTo(4096);
        assertThat(at(m, MmioTransport.QUEUE_PFN)).isEqualTo(0x456);
        assertThat(at(m, MmioTransport.QUEUE_READY)).isZero();
        assertThatThrownBy(() -> t.enableQueue(0, 128, 0x45_6100L, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(t.configGeneration()).isZero();
    }
}
