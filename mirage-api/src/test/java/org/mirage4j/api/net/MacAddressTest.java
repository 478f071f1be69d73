package org.mirage4j.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

class MacAddressTest {

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    @Property
    void parsesWhatItFormats(Gen gen) {
        MacAddress mac = new MacAddress(gen.longValue() & MASK);
        String text = mac.toString();

        assertThat(text).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(MacAddress.parse(text)).isEqualTo(mac);
        assertThat(MacAddress.parse(text.toUpperCase())).isEqualTo(mac);
        assertThat(MacAddress.parse(text.replace(':', '-'))).isEqualTo(mac);
        assertThat(MacAddress.of(mac.octets())).isEqualTo(mac);
    }

    @Property
    void readsWhatItWrites(Gen gen) {
        MacAddress mac = new MacAddress(gen.longValue() & MASK);
        int offset = gen.intBetween(0, 8);
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(offset + MacAddress.LENGTH);
        try {
            buf.writeZero(offset);
            mac.writeTo(buf);
            assertThat(buf.readableBytes()).isEqualTo(offset + MacAddress.LENGTH);
            assertThat(MacAddress.readFrom(buf, offset)).isEqualTo(mac);

            MacAddress other = new MacAddress(gen.longValue() & MASK);
            other.setAt(buf, offset);
            assertThat(MacAddress.readFrom(buf, offset)).isEqualTo(other);
            assertThat(buf.writerIndex()).isEqualTo(offset + MacAddress.LENGTH);
        } finally {
            buf.release();
        }
    }

    @Test
    void readsTheFirstOctetFirst() {
        MacAddress mac = MacAddress.parse("02:00:5e:10:00:01");

        assertThat(mac.bits()).isEqualTo(0x0200_5E10_0001L);
        assertThat(mac.octets()).containsExactly(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01);
        assertThat(mac.isLocallyAdministered()).isTrue();
        assertThat(mac.isMulticast()).isFalse();
    }

    @Test
    void knowsBroadcastAndMulticast() {
        assertThat(MacAddress.BROADCAST).hasToString("ff:ff:ff:ff:ff:ff");
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(MacAddress.ZERO).hasToString("00:00:00:00:00:00");
        assertThat(MacAddress.parse("01:00:5e:00:00:fb").isMulticast()).isTrue();
        assertThat(MacAddress.parse("01:00:5e:00:00:fb").isBroadcast()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:00:00:00:00", "02:00:00:00:00:01:02", "02:00:00:00:00:0g", "2:0:0:0:0:1",
        "02:00:00:00:00:001", "02::00:00:00:00", "02:00:00:00:00:01:", " 02:00:00:00:00:01", "0200.0000.0001",
        "020000000001", "02:00:00:00:00:+1", "０２:00:00:00:00:01"})
    void refusesMalformedTextWithAnExample(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("02:00:00:00:00:01");
    }

    @Property
    void damagedTextIsRefusedOrReadsBackTheSame(Gen gen) {
        String valid = new MacAddress(gen.longValue() & MASK).toString();
        String text = gen.bool()
                ? new String(gen.mutate(valid.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1)
                : gen.asciiString(0, 20);

        Throwable thrown = catchThrowable(() -> MacAddress.parse(text));
        if (thrown == null) {
            assertThat(MacAddress.parse(text).toString()).isEqualToIgnoringCase(text.replace('-', ':'));
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("02:00:00:00:00:01");
        }
    }

    @Test
    void refusesMoreThan48Bits() {
        assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.of(new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }
}
