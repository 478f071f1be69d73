package org.mirage4j.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class Ipv4PrefixTest {

    @Property
    void parsesWhatItFormats(Gen gen) {
        Ipv4Prefix prefix = new Ipv4Prefix(new Ipv4Address(gen.random().nextInt()), gen.intBetween(0, 32));

        assertThat(Ipv4Prefix.parse(prefix.toString())).isEqualTo(prefix);
        assertThat(prefix.toString()).isEqualTo(prefix.address() + "/" + prefix.length());
    }

    @Property
    void theNetworkHoldsTheAddressesThatShareItsPrefix(Gen gen) {
        Ipv4Address address = new Ipv4Address(gen.random().nextInt());
        int length = gen.intBetween(0, 32);
        Ipv4Prefix prefix = new Ipv4Prefix(address, length);
        long hostBits = length == 32 ? 0 : (1L << (32 - length)) - 1;

        assertThat(Integer.bitCount(prefix.netmask().bits())).isEqualTo(length);
        assertThat(Integer.toUnsignedLong(prefix.network().bits()) & hostBits).isZero();
        assertThat(Integer.toUnsignedLong(prefix.broadcast().bits()) & hostBits).isEqualTo(hostBits);
        assertThat(prefix.contains(address)).isTrue();
        assertThat(prefix.contains(prefix.network())).isTrue();
        assertThat(prefix.contains(prefix.broadcast())).isTrue();
        // Any address whose own host bits vary stays inside; flipping a network bit leaves.
        int other = (int) ((address.bits() & ~hostBits) | (gen.random().nextInt() & hostBits));
        assertThat(prefix.contains(new Ipv4Address(other))).isTrue();
        if (length > 0) {
            int networkBit = 1 << (32 - gen.intBetween(1, length));
            assertThat(prefix.contains(new Ipv4Address(address.bits() ^ networkBit))).isFalse();
        }
    }

    @Test
    void keepsTheAddressAsGiven() {
        Ipv4Prefix prefix = Ipv4Prefix.parse("10.0.0.2/24");

        assertThat(prefix.address()).isEqualTo(Ipv4Address.parse("10.0.0.2"));
        assertThat(prefix.length()).isEqualTo(24);
        assertThat(prefix.netmask()).hasToString("255.255.255.0");
        assertThat(prefix.network()).hasToString("10.0.0.0");
        assertThat(prefix.broadcast()).hasToString("10.0.0.255");
        assertThat(prefix.contains(Ipv4Address.parse("10.0.1.2"))).isFalse();
    }

    @Test
    void handlesTheWholeInternetAndASingleHost() {
        Ipv4Prefix all = Ipv4Prefix.parse("0.0.0.0/0");
        assertThat(all.netmask()).isEqualTo(Ipv4Address.ANY);
        assertThat(all.broadcast()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(all.contains(Ipv4Address.parse("203.0.113.9"))).isTrue();

        Ipv4Prefix host = Ipv4Prefix.parse("192.0.2.7/32");
        assertThat(host.netmask()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(host.network()).isEqualTo(host.address());
        assertThat(host.broadcast()).isEqualTo(host.address());
        assertThat(host.contains(Ipv4Address.parse("192.0.2.8"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "10.0.0.2", "10.0.0.2/", "/24", "10.0.0.2/33", "10.0.0.2/-1", "10.0.0.2/+4",
        "10.0.0.2/ 4", "10.0.0.2/024", "10.0.0.2/24/1", "10.0.0.2/٢٤", "10.0.0.2/2٤", "10.0.0/24", "10.0.0.256/24",
        "10.0.0.2/24 ", "fe80::1/64", "10.0.0.2\\24"})
    void refusesMalformedTextWithAnExample(String text) {
        assertThatThrownBy(() -> Ipv4Prefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not an IPv4 prefix such as 10.0.0.2/24.");
    }

    @Property
    void damagedTextIsRefusedOrReadsBackTheSame(Gen gen) {
        String valid = new Ipv4Prefix(new Ipv4Address(gen.random().nextInt()), gen.intBetween(0, 32)).toString();
        String text = gen.bool()
                ? new String(gen.mutate(valid.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1)
                : gen.asciiString(0, 20);

        Throwable thrown = catchThrowable(() -> Ipv4Prefix.parse(text));
        if (thrown == null) {
            Ipv4Prefix parsed = Ipv4Prefix.parse(text);
            assertThat(Ipv4Prefix.parse(parsed.toString())).isEqualTo(parsed);
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.2/24");
        }
    }

    @Test
    void refusesAnImpossibleLength() {
        assertThatThrownBy(() -> new Ipv4Prefix(Ipv4Address.ANY, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ipv4Prefix(null, 8)).isInstanceOf(IllegalArgumentException.class);
    }
}
