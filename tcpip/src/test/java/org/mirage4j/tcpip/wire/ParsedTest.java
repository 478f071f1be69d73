package org.mirage4j.tcpip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParsedTest {

    @Test
    void rejectingReusesOneInstancePerReason() {
        Parsed<Ipv4Repr> first = Parsed.rejected(Malformed.BAD_CHECKSUM);
        Parsed<UdpRepr> second = Parsed.rejected(Malformed.BAD_CHECKSUM);
        assertThat((Object) first).isSameAs(second);
        assertThat(first.reasonOrNull()).isEqualTo(Malformed.BAD_CHECKSUM);
        assertThat(first.valueOrNull()).isNull();
    }

    /** The idiom the class Javadoc shows: a switch over the two outcomes. */
    @Test
    void switchOverTheOutcomes() {
        assertThat(describe(Parsed.ok(new UdpRepr(1, 2)))).isEqualTo("ports 1 to 2");
        assertThat(describe(Parsed.rejected(Malformed.TRUNCATED))).isEqualTo("dropped: TRUNCATED");
    }

    private static String describe(Parsed<UdpRepr> parsed) {
        return switch (parsed) {
            case Parsed.Ok(UdpRepr udp) -> "ports " + udp.sourcePort() + " to " + udp.destinationPort();
            case Parsed.Rejected(Malformed reason) -> "dropped: " + reason;
        };
    }
}
