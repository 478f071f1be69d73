package org.mirage4j.tcpip.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.MacAddress;
import org.mirage4j.tcpip.wire.DhcpMessageType;
import org.mirage4j.tcpip.wire.DhcpPacket;
import org.mirage4j.tcpip.wire.DhcpRepr;
import org.mirage4j.testing.TrackedHeapAllocator;

/**
 * DHCP options that overrun the packet (issue 9's DHCP class, after the option-length bugs of Ripple20's DHCP
 * client), given to a client that is waiting for an offer: each is counted as malformed and dropped, the client
 * stays where it was and sends nothing, and a well-formed offer afterwards is still taken.
 */
class DhcpHostileTest {

    private static final long NOW = 1_000_000_000_000L;
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");

    private final DhcpClient client = new DhcpClient(MAC, new ScriptedRandom());

    private static byte[] offer(int xid) {
        DhcpRepr offer = DhcpRepr.builder(DhcpMessageType.OFFER, xid, MAC).yourIp(Ipv4Address.parse("10.0.0.135"))
                .serverIdentifier(SERVER).times(3600, -1, -1).subnetMask(Ipv4Address.parse("255.255.255.0")).build();
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer();
        try {
            offer.emit(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private DhcpClient.Actions receive(byte[] message) {
        ByteBuf buf = TrackedHeapAllocator.INSTANCE.heapBuffer(message.length).writeBytes(message);
        try {
            DhcpClient.Actions actions = new DhcpClient.Actions();
            client.input(buf, NOW, actions);
            return actions;
        } finally {
            buf.release();
        }
    }

    /** The offer's options replaced by {@code options}, the message cut right after them. */
    private static byte[] withOptions(byte[] message, int... options) {
        byte[] out = Arrays.copyOf(message, DhcpPacket.HEADER_LENGTH + options.length);
        for (int i = 0; i < options.length; i++) out[DhcpPacket.HEADER_LENGTH + i] = (byte) options[i];
        return out;
    }

    @Test
    void optionsOverrunningThePacketAreCountedAsMalformedAndChangeNothing() {
        DhcpClient.Actions started = new DhcpClient.Actions();
        client.start(NOW, started);
        int xid = started.transmissions().getFirst().message().transactionId();
        byte[] good = offer(xid);

        List<byte[]> hostile = new ArrayList<>();
        hostile.add(withOptions(good, 53, 1, 2, 54, 4, 10, 0, 0, 1, 51, 200, 0, 0));  // lease time claims 200 octets
        hostile.add(withOptions(good, 53, 1, 2, 54));                                   // a code with no length octet
        hostile.add(withOptions(good, 53, 255));                                        // message type's length past the end
        hostile.add(withOptions(good, 53, 1, 2, 55, 255, 1, 3, 6));                   // request list claims 255
        hostile.add(withOptions(good, 53, 1, 2, 52, 1, 3, 54, 4, 10, 0));              // overload, then a cut server id
        hostile.add(Arrays.copyOf(good, DhcpPacket.HEADER_LENGTH - 1));                // cut inside the cookie
        hostile.add(Arrays.copyOf(good, 100));                                          // cut inside the BOOTP header
        for (byte[] message : hostile) {
            DhcpClient.Actions actions = receive(message);
            assertThat(actions.transmissions()).isEmpty();
            assertThat(actions.event()).isNull();
        }
        assertThat(client.stats().malformed()).isEqualTo(hostile.size());
        assertThat(client.stats().offers()).isZero();
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);

        // Wrong lengths for what the option holds, inside the packet: rejected too, for the option's sake.
        DhcpClient.Actions wrongLength = receive(withOptions(good, 53, 1, 2, 54, 3, 10, 0, 0, 1, 4, 0, 255));
        assertThat(wrongLength.transmissions()).isEmpty();
        assertThat(client.stats().malformed()).isEqualTo(hostile.size() + 1);

        DhcpClient.Actions taken = receive(good);
        assertThat(taken.transmissions()).hasSize(1);
        assertThat(taken.transmissions().getFirst().message().messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(client.stats().offers()).isEqualTo(1);
    }
}
