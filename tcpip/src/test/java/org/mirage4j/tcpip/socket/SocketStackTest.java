package org.mirage4j.tcpip.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.mirage4j.tcpip.socket.Sockets.ECHO;
import static org.mirage4j.tcpip.socket.Sockets.LOOPBACK;
import static org.mirage4j.tcpip.socket.Sockets.eventually;
import static org.mirage4j.tcpip.socket.Sockets.freeTcpPort;
import static org.mirage4j.tcpip.socket.Sockets.freeUdpPort;
import static org.mirage4j.tcpip.socket.Sockets.isOneSentence;
import static org.mirage4j.tcpip.socket.Sockets.pooled;
import static org.mirage4j.tcpip.socket.Sockets.text;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.net.Datagram;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.Ipv6Address;

/** The socket stack as a whole: its address, its lifetime, and the wildcard bind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketStackTest {

    @Test
    void disconnectEndsListenClosesFlowsAndFreesThePorts() throws Exception {
        SocketStack stack = new SocketStack(Ipv4Prefix.parse("127.0.0.1/8"));
        stack.connect();
        int tcpPort = freeTcpPort();
        int udpPort = freeUdpPort();
        CompletableFuture<String> handlerEnded = new CompletableFuture<>();
        stack.tcp().listen(tcpPort, flow -> {
            flow.write(pooled("hello"));
            handlerEnded.complete("read " + flow.read()); // blocks until the disconnect
        });
        stack.udp().listen(udpPort, datagram -> datagram.payload().release());
        CompletableFuture<Void> listening = CompletableFuture.runAsync(() -> {
            try {
                stack.listen();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofVirtual()::start);

        try (Socket peer = new Socket(LOOPBACK, tcpPort)) {
            assertThat(new String(peer.getInputStream().readNBytes(5), UTF_8)).isEqualTo("hello");
            assertThat(listening).isNotDone();

            stack.disconnect();

            listening.get(10, TimeUnit.SECONDS);
            assertThat(handlerEnded.get(10, TimeUnit.SECONDS)).isEqualTo("read null");
            assertThat(peer.getInputStream().read()).as("the peer sees the flow closed").isEqualTo(-1);
        }
        assertThat(eventually(() -> stack.tcpActiveFlows() == 0)).isTrue();
        try (ServerSocket tcp = new ServerSocket(tcpPort, 1, LOOPBACK);
                DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, udpPort))) {
            assertThat(tcp.getLocalPort()).isEqualTo(tcpPort);
            assertThat(((InetSocketAddress) udp.getLocalAddress()).getPort()).isEqualTo(udpPort);
        }
        assertThatThrownBy(() -> stack.tcp().listen(tcpPort, ECHO)).isInstanceOf(SocketException.class);
        stack.disconnect(); // a second time does nothing
    }

    @Test
    void servesOnTheAddressOfItsKey() throws IOException {
        SocketStack one = new SocketStack(Ipv4Prefix.parse("127.0.0.1/8"));
        SocketStack every = new SocketStack(Ipv4Prefix.parse("0.0.0.0/0"));
        one.connect();
        every.connect();

        assertThat(one.addresses()).containsExactly(Ipv4Address.LOCALHOST);
        assertThat(every.addresses()).containsExactly(Ipv4Address.ANY);
    }

    @Test
    void anAddressTheHostLacksIsOneSentenceSayingWhatToGive() {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): no host has it.
        SocketStack stack = new SocketStack(Ipv4Prefix.parse("192.0.2.1/24"));

        assertThatThrownBy(stack::connect)
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("192.0.2.1")
                .hasMessageContaining("--ipv4")
                .satisfies(e -> assertThat(isOneSentence(e.getMessage())).as(e.getMessage()).isTrue());
    }

    @Test
    void anIpv4OnlyStackRefusesIpv6Destinations() throws IOException {
        SocketStack stack = new SocketStack(Ipv4Prefix.parse("127.0.0.1/8"));
        stack.connect();
        var payload = pooled("to nowhere");
        try {
            assertThatThrownBy(() -> stack.tcp().connect(Ipv6Address.LOCALHOST, 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--ipv4=0.0.0.0/0");
            assertThatThrownBy(() -> stack.udp().write(Ipv6Address.LOCALHOST, 9, payload))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(payload.refCnt()).isZero();
        } finally {
            stack.disconnect();
        }
    }

    @Test
    void theWildcardServesIpv4AndIpv6() throws Exception {
        SocketStack stack = new SocketStack(Ipv4Prefix.parse("0.0.0.0/0"));
        stack.connect();
        int tcpPort = freeTcpPort();
        int udpPort = freeUdpPort();
        BlockingQueue<Datagram> datagrams = new ArrayBlockingQueue<>(1);
        try {
            stack.tcp().listen(tcpPort, ECHO);
            stack.udp().listen(udpPort, datagrams::add);

            try (Socket v4 = new Socket(InetAddress.getByName("127.0.0.1"), tcpPort)) {
                assertThat(roundTrip(v4, "over IPv4")).isEqualTo("over IPv4");
            }
            try (DatagramChannel peer = DatagramChannel.open()) {
                peer.send(ByteBuffer.wrap("hi".getBytes(UTF_8)), new InetSocketAddress(InetAddress.getByName("127.0.0.1"), udpPort));
                Datagram datagram = datagrams.poll(10, TimeUnit.SECONDS);
                assertThat(datagram).isNotNull();
                assertThat(text(datagram.payload())).isEqualTo("hi");
                assertThat(datagram.source()).isEqualTo(Ipv4Address.LOCALHOST);
                assertThat(datagram.destination()).as("the socket API does not say which address").isEqualTo(Ipv4Address.ANY);
            }

            assumeThat(hasIpv6Loopback()).as("the host has IPv6 loopback (::1)").isTrue();
            try (Socket v6 = new Socket(Ipv6Address.LOCALHOST.toInetAddress(), tcpPort)) {
                assertThat(roundTrip(v6, "over IPv6")).isEqualTo("over IPv6");
            }
        } finally {
            stack.disconnect();
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, Ipv6Address.LOCALHOST.toInetAddress())) {
            return probe.getInetAddress() instanceof Inet6Address;
        } catch (IOException e) {
            return false;
        }
    }

    private static String roundTrip(Socket peer, String message) throws IOException {
        byte[] bytes = message.getBytes(UTF_8);
        peer.getOutputStream().write(bytes);
        return new String(peer.getInputStream().readNBytes(bytes.length), UTF_8);
    }
}
