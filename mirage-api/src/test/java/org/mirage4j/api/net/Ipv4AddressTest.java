package org.mirage4j.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;
import org.mirage4j.testing.TrackedHeapAllocator;

class Ipv4AddressTest {

    @Property
    void parsesWhatItFormats(Gen gen) throws Exception {
        Ipv4Address address = new Ipv4Address(gen.random().nextInt());
        String text = address.toString();

        assertThat(Ipv4Address.parse(text)).isEqualTo(address);
        assertThat(Ipv4Address.of(address.octets())).isEqualTo(address);
        byte[] octets = address.octets();
        assertThat(Ipv4Address.of(octets[0] & 0xFF, octets[1] & 0xFF, octets[2] & 0xFF, octets[3] & 0xFF))
                .isEqualTo(address);
        // The JDK agrees on the text and the bytes (an address literal: no name lookup).
        assertThat(InetAddress.ofLiteral(text).getAddress()).isEqualTo(octets);
        assertThat(address.toInetAddress().getAddress()).isEqualTo(octets);
        assertThat(IpAddress.of(address.toInetAddress())).isEqualTo(address);
    }

    @Property
    void readsWhatItWrites(Gen gen) {
        Ipv4Address address = new Ipv4Address(gen.random().nextInt());
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(Ipv4Address.LENGTH);
        try {
            address.writeTo(buf);
            assertThat(buf.readableBytes()).isEqualTo(Ipv4Address.LENGTH);
            assertThat(Ipv4Address.readFrom(buf, 0)).isEqualTo(address);
        } finally {
            buf.release();
        }
    }

    @Property
    void ordersAsUnsignedNumbers(Gen gen) {
        Ipv4Address a = new Ipv4Address(gen.random().nextInt());
        Ipv4Address b = new Ipv4Address(gen.random().nextInt());
        assertThat(Integer.signum(a.compareTo(b)))
                .isEqualTo(Long.signum(Integer.toUnsignedLong(a.bits()) - Integer.toUnsignedLong(b.bits())));
    }

    @Test
    void readsTheFirstOctetFirst() {
        assertThat(Ipv4Address.parse("10.0.0.2").bits()).isEqualTo(0x0A00_0002);
        assertThat(Ipv4Address.parse("255.255.255.255")).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(Ipv4Address.parse("0.0.0.0")).isEqualTo(Ipv4Address.ANY);
        assertThat(Ipv4Address.parse("192.168.1.254").compareTo(Ipv4Address.parse("10.0.0.1"))).isPositive();
    }

    @Test
    void knowsItsSpecialAddresses() {
        assertThat(Ipv4Address.ANY.isUnspecified()).isTrue();
        assertThat(Ipv4Address.LOCALHOST).hasToString("127.0.0.1");
        assertThat(Ipv4Address.parse("127.255.0.9").isLoopback()).isTrue();
        assertThat(Ipv4Address.parse("128.0.0.1").isLoopback()).isFalse();
        assertThat(Ipv4Address.parse("224.0.0.251").isMulticast()).isTrue();
        assertThat(Ipv4Address.parse("239.255.255.255").isMulticast()).isTrue();
        assertThat(Ipv4Address.parse("240.0.0.1").isMulticast()).isFalse();
        assertThat(Ipv4Address.BROADCAST.isBroadcast()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "01.2.3.4", "1.2.3.04", "1..2.3",
        "1.2.3.4.", ".1.2.3", " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4", "1.2.3.4/24", "١.2.3.4", "+1.2.3.4", "0x1.2.3.4",
        "1.2.3.0004", "1.2.3.9999999999", "localhost", "::1", "1.2.3.4:80"})
    void refusesMalformedTextWithAnExample(String text) {
        assertThatThrownBy(() -> Ipv4Address.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not an IPv4 address such as 10.0.0.2.");
    }

    @Property
    void damagedTextIsRefusedOrIsCanonical(Gen gen) {
        String valid = new Ipv4Address(gen.random().nextInt()).toString();
        String text = gen.bool()
                ? new String(gen.mutate(valid.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1)
                : gen.asciiString(0, 16);

        Throwable thrown = catchThrowable(() -> Ipv4Address.parse(text));
        if (thrown == null) {
            // Dotted-quad text without leading zeros is unique: whatever parses is the canonical text.
            assertThat(Ipv4Address.parse(text)).hasToString(text);
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.2");
        }
    }

    @Test
    void refusesOutOfRangeOctets() {
        assertThatThrownBy(() -> Ipv4Address.of(1, 2, 3, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Address.of(-1, 2, 3, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Address.of(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
