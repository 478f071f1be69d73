package org.mirage4j.tcpip.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirage4j.tcpip.socket.Sockets.ECHO;
import static org.mirage4j.tcpip.socket.Sockets.LOOPBACK;
import static org.mirage4j.tcpip.socket.Sockets.eventually;
import static org.mirage4j.tcpip.socket.Sockets.freeTcpPort;
import static org.mirage4j.tcpip.socket.Sockets.isOneSentence;
import static org.mirage4j.tcpip.socket.Sockets.pooled;
import static org.mirage4j.tcpip.socket.Sockets.randomBytes;
import static org.mirage4j.tcpip.socket.Sockets.readAll;
import static org.mirage4j.tcpip.socket.Sockets.text;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.net.Flow;
import org.mirage4j.api.net.Ipv4Address;
import org.mirage4j.api.net.Ipv4Prefix;
import org.mirage4j.api.net.Tcp;

/** TCP of the socket stack, against java.net sockets and itself, over loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketTcpTest {

    private SocketStack stack;
    private Tcp tcp;
    private int port;

    @BeforeEach
    void connect() throws IOException {
        stack = new SocketStack(Ipv4Prefix.parse("127.0.0.1/8"));
        stack.connect();
        tcp = stack.tcp();
        port = freeTcpPort();
    }

    @AfterEach
    void disconnect() {
        stack.disconnect();
    }

    @Test
    void echoesToAJavaSocket() throws Exception {
        tcp.listen(port, ECHO);
        byte[] sent = randomBytes(1, 300_000);

        try (Socket peer = new Socket(LOOPBACK, port)) {
            byte[] echoed = exchange(peer, sent);
            assertThat(echoed).isEqualTo(sent);
        }
        assertThat(stack.tcpAccepted()).isEqualTo(1);
        assertThat(eventually(() -> stack.tcpActiveFlows() == 0)).as("the flow is closed when its handler returns").isTrue();
    }

    @Test
    void echoesToItsOwnConnect() throws Exception {
        tcp.listen(port, ECHO);
        byte[] sent = randomBytes(2, 200_000);

        try (Flow flow = tcp.connect(Ipv4Address.LOCALHOST, port)) {
            assertThat(flow.remoteAddress()).isEqualTo(Ipv4Address.LOCALHOST);
            assertThat(flow.remotePort()).isEqualTo(port);
            assertThat(flow.localAddress()).isEqualTo(Ipv4Address.LOCALHOST);
            assertThat(flow.localPort()).isNotIn(0, port);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int at = 0; at < sent.length; at += 16_384) {
                        flow.write(pooled(Arrays.copyOfRange(sent, at, Math.min(sent.length, at + 16_384))));
                    }
                    flow.shutdownOutput();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(readAll(flow)).isEqualTo(sent);
            writer.join();
            assertThat(stack.tcpActiveFlows()).as("our flow is open until closed").isGreaterThanOrEqualTo(1);
        }
        assertThat(eventually(() -> stack.tcpActiveFlows() == 0)).isTrue();
    }

    @Test
    void servesManyFlowsAtOnce() throws Exception {
        tcp.listen(port, ECHO);
        int flows = 100;
        List<Future<Boolean>> results = new ArrayList<>();
        CountDownLatch allConnected = new CountDownLatch(flows);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < flows; i++) {
                long seed = 100 + i;
                results.add(threads.submit(() -> {
                    try (Socket peer = new Socket(LOOPBACK, port)) {
                        allConnected.countDown();
                        allConnected.await(); // every flow is open at the same time
                        byte[] sent = randomBytes(seed, 20_000 + (int) seed);
                        return Arrays.equals(exchange(peer, sent), sent);
                    }
                }));
            }
            for (Future<Boolean> result : results) assertThat(result.get()).isTrue();
        }
        assertThat(stack.tcpAccepted()).isEqualTo(flows);
        assertThat(eventually(() -> stack.tcpActiveFlows() == 0)).isTrue();
    }

    @Test
    void peerHalfCloseIsEndOfStreamAndTheReplyStillArrives() throws Exception {
        tcp.listen(port, flow -> {
            byte[] request = readAll(flow); // ends at the peer's FIN
            flow.write(pooled("got " + request.length + " bytes"));
        });

        try (Socket peer = new Socket(LOOPBACK, port)) {
            assertThat(new String(exchange(peer, "hello".getBytes(UTF_8)), UTF_8)).isEqualTo("got 5 bytes");
        }
    }

    @Test
    void shutdownOutputLetsThePeerSeeEndOfStreamAndStillSend() throws Exception {
        CompletableFuture<String> heard = new CompletableFuture<>();
        tcp.listen(port, flow -> {
            flow.write(pooled("bye"));
            flow.shutdownOutput();
            heard.complete(new String(readAll(flow), UTF_8));
        });

        try (Socket peer = new Socket(LOOPBACK, port)) {
            assertThat(new String(peer.getInputStream().readAllBytes(), UTF_8)).isEqualTo("bye");
            peer.getOutputStream().write("still here".getBytes(UTF_8));
            peer.shutdownOutput();
            assertThat(heard.get(10, TimeUnit.SECONDS)).isEqualTo("still here");
        }
    }

    @Test
    void readTimesOutAndTheFlowGoesOn() throws Exception {
        CompletableFuture<Throwable> timedOut = new CompletableFuture<>();
        CompletableFuture<String> afterwards = new CompletableFuture<>();
        tcp.listen(port, flow -> {
            flow.setReadTimeout(Duration.ofMillis(150));
            try {
                ByteBuf unexpected = flow.read();
                if (unexpected != null) unexpected.release();
                timedOut.complete(null);
            } catch (IOException e) {
                timedOut.complete(e);
            }
            flow.setReadTimeout(Duration.ZERO);
            afterwards.complete(text(flow.read()));
        });

        try (Socket peer = new Socket(LOOPBACK, port)) {
            Throwable error = timedOut.get(10, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("150 ms");
            peer.getOutputStream().write("late".getBytes(UTF_8));
            assertThat(afterwards.get(10, TimeUnit.SECONDS)).isEqualTo("late");
        }
    }

    @Test
    void closeUnblocksARead() throws Exception {
        try (ServerSocket silent = new ServerSocket(port, 1, LOOPBACK)) {
            Flow flow = tcp.connect(Ipv4Address.LOCALHOST, port);
            try (Socket accepted = silent.accept()) {
                CompletableFuture<ByteBuf> read = new CompletableFuture<>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        read.complete(flow.read());
                    } catch (Throwable e) {
                        read.completeExceptionally(e);
                    }
                });
                assertThat(eventually(() -> reader.getState() == Thread.State.WAITING)).as("the read blocks").isTrue();

                flow.close();

                assertThat(read.get(10, TimeUnit.SECONDS)).as("a closed flow reads end of stream").isNull();
                assertThat(accepted.getInputStream().read()).as("the peer sees the close").isEqualTo(-1);
                flow.close(); // idempotent
            }
        }
    }

    @Test
    void writeAfterCloseFailsAndReleasesTheBuffer() throws Exception {
        tcp.listen(port, ECHO);
        Flow flow = tcp.connect(Ipv4Address.LOCALHOST, port);
        flow.close();
        ByteBuf data = pooled("too late");

        assertThatThrownBy(() -> flow.write(data)).isInstanceOf(SocketException.class);
        assertThat(data.refCnt()).isZero();
        assertThat(flow.read()).isNull();
    }

    @Test
    void aHandlerExceptionEndsOnlyItsFlow() throws Exception {
        tcp.listen(port, flow -> {
            for (ByteBuf data; (data = flow.read()) != null; ) {
                if (text(data.retainedDuplicate()).equals("boom")) {
                    data.release();
                    throw new IllegalStateException("a handler failing on purpose");
                }
                flow.write(data);
            }
        });

        try (Socket calm = new Socket(LOOPBACK, port); Socket failing = new Socket(LOOPBACK, port)) {
            assertThat(roundTrip(calm, "hello")).isEqualTo("hello");
            failing.getOutputStream().write("boom".getBytes(UTF_8));
            assertThat(failing.getInputStream().read()).as("the failing flow is closed").isEqualTo(-1);
            assertThat(roundTrip(calm, "still fine")).isEqualTo("still fine");
            try (Socket later = new Socket(LOOPBACK, port)) {
                assertThat(roundTrip(later, "new one")).isEqualTo("new one");
            }
        }
        assertThat(stack.tcpAccepted()).isEqualTo(3);
    }

    @Test
    void aTakenPortIsOneSentenceNamingIt() throws Exception {
        try (ServerSocket squatter = new ServerSocket(port, 1, LOOPBACK)) {
            assertThat(squatter.getLocalPort()).isEqualTo(port);
            assertThatThrownBy(() -> tcp.listen(port, ECHO))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("TCP port " + port)
                    .hasMessageContaining("choose another port")
                    .hasCauseInstanceOf(BindException.class)
                    .satisfies(e -> assertThat(isOneSentence(e.getMessage())).as(e.getMessage()).isTrue());
        }
    }

    @Test
    void unlistenFreesThePortAndEstablishedFlowsGoOn() throws Exception {
        tcp.listen(port, ECHO);
        try (Socket established = new Socket(LOOPBACK, port)) {
            assertThat(roundTrip(established, "before")).isEqualTo("before");

            tcp.unlisten(port);

            assertThatThrownBy(() -> new Socket(LOOPBACK, port).close()).isInstanceOf(ConnectException.class);
            assertThat(roundTrip(established, "after")).isEqualTo("after");
            try (ServerSocket rebound = new ServerSocket(port, 1, LOOPBACK)) {
                assertThat(rebound.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void listenAgainReplacesTheHandlerForNewFlows() throws Exception {
        tcp.listen(port, flow -> flow.write(pooled("one")));
        try (Socket first = new Socket(LOOPBACK, port)) {
            assertThat(new String(first.getInputStream().readAllBytes(), UTF_8)).isEqualTo("one");
        }

        tcp.listen(port, flow -> flow.write(pooled("two")));

        try (Socket second = new Socket(LOOPBACK, port)) {
            assertThat(new String(second.getInputStream().readAllBytes(), UTF_8)).isEqualTo("two");
        }
    }

    @Test
    void connectingWhereNobodyListensNamesTheDestination() {
        assertThatThrownBy(() -> tcp.connect(Ipv4Address.LOCALHOST, port))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThatThrownBy(() -> tcp.listen(0, ECHO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0");
        assertThatThrownBy(() -> tcp.connect(Ipv4Address.LOCALHOST, 65_536)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Sends {@code data} from one thread, closes the sending side, and returns all that comes back. */
    private static byte[] exchange(Socket peer, byte[] data) throws Exception {
        OutputStream out = peer.getOutputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(data);
                peer.shutdownOutput();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        byte[] received = peer.getInputStream().readAllBytes();
        writer.join();
        return received;
    }

    /** Sends {@code message} and reads exactly as many bytes back. */
    private static String roundTrip(Socket peer, String message) throws IOException {
        byte[] bytes = message.getBytes(UTF_8);
        peer.getOutputStream().write(bytes);
        InputStream in = peer.getInputStream();
        return new String(in.readNBytes(bytes.length), UTF_8);
    }
}
