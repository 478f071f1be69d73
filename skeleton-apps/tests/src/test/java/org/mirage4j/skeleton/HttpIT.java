package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mirage4j.testing.RequiresCommands;

/** The http app on host sockets, with curl and nc as the clients. */
@RequiresCommands({"curl", "nc"})
class HttpIT {

    private static App app;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        int port = App.freePort();
        app = App.start("http", "--port=" + port).awaitLine("http: ready, open http://127.0.0.1:" + port + "/", Duration.ofSeconds(60));
        url = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) app.close();
    }

    private static Peer.Result curl(String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "curl";
        command[1] = "-sS";
        System.arraycopy(args, 0, command, 2, args.length);
        return Peer.run(new byte[0], command);
    }

    @Test
    void theIndexIsTheEmbeddedFile() throws Exception {
        byte[] index = Files.readAllBytes(Path.of("..", "http", "htdocs", "index.html"));

        Peer.Result page = curl(url + "/");

        assertThat(page.status()).isZero();
        assertThat(page.out()).isEqualTo(index);
    }

    @Test
    void aMissingPathIs404() throws Exception {
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", url + "/no/such/page").text()).isEqualTo("404");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", url + "/../../etc/passwd").text()).isEqualTo("404");
    }

    @Test
    void aGarbageRequestLineGets400AndTheServerKeepsServing() throws Exception {
        Peer.Result garbage = Peer.run("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "nc", "-w2", "127.0.0.1", url.substring(url.lastIndexOf(':') + 1));

        assertThat(garbage.text()).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", url + "/").text()).isEqualTo("200");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        Peer.Result two = curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code}:%{num_connects} ", url + "/", url + "/css/site.css");

        assertThat(two.text().strip()).isEqualTo("200:1 200:0"); // the second request made no new connection
    }
}
