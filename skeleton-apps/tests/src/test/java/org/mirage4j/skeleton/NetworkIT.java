package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.RequiresCommands;

/** The network app on host sockets, with socat and nc as the clients. */
@RequiresCommands({"socat", "nc"})
class NetworkIT {

    private static App app;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = App.freePort();
        app = App.start("network", "--port=" + port).awaitLine("echoing TCP and UDP on port " + port, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) app.close();
    }

    @Test
    void tcpEchoesAMegabyteByteForByte() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);

        Peer.Result result = Peer.run(data, "socat", "-t5", "-", "TCP:127.0.0.1:" + port);

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(data);
    }

    @Test
    void udpEchoesEachDatagram() throws Exception {
        Peer.Result socat = Peer.run("hello udp\n".getBytes(StandardCharsets.US_ASCII), "socat", "-t2", "-", "UDP:127.0.0.1:" + port);
        Peer.Result nc = Peer.run("hello nc\n".getBytes(StandardCharsets.US_ASCII), "nc", "-u", "-w1", "127.0.0.1", String.valueOf(port));

        assertThat(socat.text()).isEqualTo("hello udp\n");
        assertThat(nc.text()).isEqualTo("hello nc\n");
    }
}
