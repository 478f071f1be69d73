package org.mirage4j.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class IpAddressTest {

    @Property
    void parsesWhatEitherFamilyFormats(Gen gen) {
        IpAddress address = gen.bool()
                ? new Ipv4Address(gen.random().nextInt())
                : new Ipv6Address(gen.longValue(), gen.longValue());

        assertThat(IpAddress.parse(address.toString())).isEqualTo(address);
        assertThat(IpAddress.of(address.toInetAddress())).isEqualTo(address);
    }

    @Test
    void picksTheFamilyFromTheText() throws Exception {
        assertThat(IpAddress.parse("10.0.0.2")).isInstanceOf(Ipv4Address.class);
        assertThat(IpAddress.parse("fe80::1")).isInstanceOf(Ipv6Address.class);
        assertThat(IpAddress.parse("::ffff:10.0.0.2")).isInstanceOf(Ipv6Address.class);
        assertThat(IpAddress.of(InetAddress.ofLiteral("192.0.2.1"))).isEqualTo(Ipv4Address.parse("192.0.2.1"));
        assertThat(IpAddress.of(InetAddress.ofLiteral("2001:db8::1"))).isEqualTo(Ipv6Address.parse("2001:db8::1"));
    }

    @Test
    void answersTheSameQuestionsForBothFamilies() {
        assertThat(IpAddress.parse("0.0.0.0").isUnspecified()).isTrue();
        assertThat(IpAddress.parse("::").isUnspecified()).isTrue();
        assertThat(IpAddress.parse("127.0.0.1").isLoopback()).isTrue();
        assertThat(IpAddress.parse("::1").isLoopback()).isTrue();
        assertThat(IpAddress.parse("224.0.0.1").isMulticast()).isTrue();
        assertThat(IpAddress.parse("ff02::1").isMulticast()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "10.0.0", "10.0.0.2:80", "[::1]", "fe80::1%lo", "::g"})
    void refusesMalformedTextWithAnExampleAndNeverLooksUpAName(String text) {
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("'.*' is not an IPv[46] address such as (10\\.0\\.0\\.2|fe80::1)\\.");
    }

    @Property
    void arbitraryTextIsRefusedOnlyWithIllegalArgumentException(Gen gen) {
        String text = gen.asciiString(0, 40);

        Throwable thrown = catchThrowable(() -> IpAddress.parse(text));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
