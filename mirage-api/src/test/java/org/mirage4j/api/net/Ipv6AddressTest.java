package org.mirage4j.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirage4j.testing.Gen;
import org.mirage4j.testing.Property;

class Ipv6AddressTest {

    /** RFC 5952 sections 2 and 4: each text on the left, and the one canonical text of its address. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // 4.1: leading zeros are omitted.
        "2001:0db8::0001, 2001:db8::1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        // 4.2.1: '::' shortens as much as possible.
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8::0:1, 2001:db8::1",
        // 4.2.2: a single 16-bit 0 field is not shortened.
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8::1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        // 4.2.3: the longest run is shortened; of equal runs, the first.
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        // 2.2: the many texts of 2001:db8:0:0:1:0:0:1.
        "2001:db8:0:0:1::1, 2001:db8::1:0:0:1",
        "2001:0db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0000:0:1::1, 2001:db8::1:0:0:1",
        "2001:DB8:0:0:1::1, 2001:db8::1:0:0:1",
        // 4.3 and 2.3: lower case.
        "2001:DB8::1, 2001:db8::1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa",
        // The ends.
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80:0:0:0:0:0:0:1, fe80::1",
        "ff02::0001:ff00:0001, ff02::1:ff00:1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        // 5: an IPv4-mapped address ends in dotted decimal, however it was written.
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "::ffff:c000:201, ::ffff:192.0.2.1",
        "0:0:0:0:0:ffff:c000:0201, ::ffff:192.0.2.1",
        // Other embedded IPv4 text is just another way to write the last 32 bits.
        "::192.0.2.1, ::c000:201",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
    })
    void writesTheCanonicalTextOfRfc5952(String text, String canonical) {
        Ipv6Address address = Ipv6Address.parse(text);

        assertThat(address).hasToString(canonical);
        assertThat(Ipv6Address.parse(canonical)).isEqualTo(address);
    }

    @Property
    void parsesWhatItFormatsAndFormatsCanonically(Gen gen) throws Exception {
        Ipv6Address address = randomAddress(gen);
        String text = address.toString();

        assertThat(Ipv6Address.parse(text)).isEqualTo(address);
        assertCanonical(text, address);
        assertThat(Ipv6Address.of(address.octets())).isEqualTo(address);
        // The JDK reads our text as the same address (a literal: no name lookup).
        assertThat(InetAddress.ofLiteral(text).getAddress()).isEqualTo(expectedJdkBytes(address));
        assertThat(address.toInetAddress().getAddress()).isEqualTo(address.octets());
        assertThat(IpAddress.of(address.toInetAddress())).isEqualTo(address);
        assertThat(IpAddress.parse(text)).isEqualTo(address);
    }

    @Test
    void anIpv4MappedAddressStaysIpv6() {
        Ipv6Address mapped = Ipv6Address.parse("::ffff:10.0.0.2");

        assertThat(mapped).isEqualTo(new Ipv6Address(0, 0xFFFF_0A00_0002L));
        assertThat(mapped.toInetAddress()).isInstanceOf(Inet6Address.class);
        assertThat(IpAddress.of(mapped.toInetAddress())).isEqualTo(mapped);
        assertThat(IpAddress.parse("::ffff:10.0.0.2")).isEqualTo(mapped);
    }

    @Test
    void knowsItsSpecialAddresses() {
        assertThat(Ipv6Address.ANY).hasToString("::");
        assertThat(Ipv6Address.ANY.isUnspecified()).isTrue();
        assertThat(Ipv6Address.LOCALHOST).hasToString("::1");
        assertThat(Ipv6Address.LOCALHOST.isLoopback()).isTrue();
        assertThat(Ipv6Address.parse("ff02::1").isMulticast()).isTrue();
        assertThat(Ipv6Address.parse("fe80::1").isMulticast()).isFalse();
        assertThat(Ipv6Address.parse("::2").isLoopback()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1.2.3.4", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        "fe80::1%eth0", "fe80::1%1", "[::1]", "g::1", "::ffff:1.2.3", "::ffff:256.0.0.1", " ::1", "::1 ", "fe80::-1",
        "localhost", "::1/128", "１::1", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8"})
    void refusesMalformedTextWithAnExample(String text) {
        assertThatThrownBy(() -> Ipv6Address.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not an IPv6 address such as fe80::1.");
    }

    @Property
    void damagedTextIsRefusedOrReadsBackTheSame(Gen gen) {
        String valid = randomAddress(gen).toString();
        String text = switch (gen.intBetween(0, 2)) {
            case 0 -> new String(gen.mutate(valid.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);
            case 1 -> randomTextOf(gen, "0123456789abcdefABCDEF:.%[]");
            default -> gen.asciiString(0, 45);
        };

        Throwable thrown = catchThrowable(() -> Ipv6Address.parse(text));
        if (thrown == null) {
            Ipv6Address parsed = Ipv6Address.parse(text);
            assertThat(Ipv6Address.parse(parsed.toString())).isEqualTo(parsed);
            assertThat(InetAddress.ofLiteral(text).getAddress()).isEqualTo(expectedJdkBytes(parsed));
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fe80::1");
        }
    }

    /** Mostly zero groups, so that runs of zeros of every length and position come up; sometimes IPv4-mapped. */
    private static Ipv6Address randomAddress(Gen gen) {
        if (gen.intBetween(0, 9) == 0) {
            return new Ipv6Address(0, 0xFFFF_0000_0000L | Integer.toUnsignedLong(gen.random().nextInt()));
        }
        long[] halves = new long[2];
        for (int group = 0; group < 8; group++) {
            long value = gen.intBetween(0, 2) == 0 ? gen.intBetween(0, 0xFFFF) : 0;
            halves[group / 4] = (halves[group / 4] << 16) | value;
        }
        return new Ipv6Address(halves[0], halves[1]);
    }

    private static String randomTextOf(Gen gen, String alphabet) {
        StringBuilder text = new StringBuilder();
        int length = gen.intBetween(0, 45);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(gen.intBetween(0, alphabet.length() - 1)));
        }
        return text.toString();
    }

    /** The JDK gives the four IPv4 bytes for an IPv4-mapped address. */
    private static byte[] expectedJdkBytes(Ipv6Address address) {
        byte[] octets = address.octets();
        if (address.high() == 0 && (address.low() >>> 32) == 0xFFFF) {
            return new byte[] {octets[12], octets[13], octets[14], octets[15]};
        }
        return octets;
    }

    /**
     * Checks RFC 5952 section 4 on the text itself, independently of how toString builds it: lower-case hex
     * without leading zeros; "::" at most once, for a whole run of two or more zero groups that no run before it
     * equals and no run after it exceeds; and the groups spell {@code address}.
     */
    private static void assertCanonical(String text, Ipv6Address address) {
        if (address.high() == 0 && (address.low() >>> 32) == 0xFFFF) {
            assertThat(text).isEqualTo("::ffff:" + new Ipv4Address((int) address.low()));
            return;
        }
        assertThat(text).matches("[0-9a-f:]+");
        int doubleColon = text.indexOf("::");
        assertThat(doubleColon).isEqualTo(text.lastIndexOf("::"));
        List<Integer> head = groups(doubleColon < 0 ? text : text.substring(0, doubleColon));
        List<Integer> tail = groups(doubleColon < 0 ? "" : text.substring(doubleColon + 2));
        int shortened = 8 - head.size() - tail.size();
        if (doubleColon < 0) {
            assertThat(shortened).isZero();
            assertThat(longestZeroRun(head)).isLessThanOrEqualTo(1);
        } else {
            assertThat(shortened).isGreaterThanOrEqualTo(2);
            assertThat(longestZeroRun(head)).isLessThan(shortened);
            assertThat(longestZeroRun(tail)).isLessThanOrEqualTo(shortened);
            if (!head.isEmpty()) assertThat(head.getLast()).isNotZero();
            if (!tail.isEmpty()) assertThat(tail.getFirst()).isNotZero();
        }
        List<Integer> all = new ArrayList<>(head);
        for (int i = 0; i < shortened; i++) all.add(0);
        all.addAll(tail);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | all.get(i);
            low = (low << 16) | all.get(4 + i);
        }
        assertThat(new Ipv6Address(high, low)).isEqualTo(address);
    }

    private static List<Integer> groups(String part) {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) return groups;
        for (String group : part.split(":", -1)) {
            assertThat(group).matches("0|[1-9a-f][0-9a-f]{0,3}");
            groups.add(Integer.parseInt(group, 16));
        }
        return groups;
    }

    private static int longestZeroRun(List<Integer> groups) {
        int longest = 0;
        int run = 0;
        for (int group : groups) {
            run = group == 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
