package org.mirage4j.skeleton;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv app as a process: its line protocol, its data across restarts, and the crash test of its issue: a
 * write load from several clients, {@code kill -9} at a random moment, a restart, and a check that every write
 * the app acknowledged is there and nothing is corrupt; a hundred times over on one disk image.
 */
class KvIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final java.util.concurrent.atomic.AtomicLong ACKNOWLEDGED = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong LANDED = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong LOST = new java.util.concurrent.atomic.AtomicLong();

    @TempDir
    Path dir;

    /** One client connection, one request line at a time. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final BufferedReader in;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        }

        String ask(String line) throws IOException {
            out.write((line + "\n").getBytes(UTF_8));
            out.flush();
            String answer = in.readLine();
            if (answer == null) throw new IOException("the server closed the connection");
            return answer;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static App startKv(Path image, int port) throws Exception {
        return App.start("kv", "--port=" + port, "--block-file=" + image, "--block-size=4M")
                .awaitLine("kv: serving on port " + port, START);
    }

    @Test
    void answersTheLineProtocolAndKeepsItsDataAcrossARestart() throws Exception {
        Path image = dir.resolve("kv.img");
        int port = App.freePort();
        try (App app = startKv(image, port); Client c = new Client(port)) {
            assertThat(c.ask("SET greeting hello, world")).isEqualTo("OK");
            assertThat(c.ask("GET greeting")).isEqualTo("hello, world");
            assertThat(c.ask("SET users/42 Ada")).isEqualTo("OK");
            assertThat(c.ask("GET nothing")).isEqualTo("NOT_FOUND");
            assertThat(c.ask("SET users/42/x no")).startsWith("ERR ").endsWith(".");
            assertThat(c.ask("FLY away")).startsWith("ERR Unknown command FLY");
            assertThat(c.ask("DEL greeting")).isEqualTo("OK");
        }
        try (App app = startKv(image, port); Client c = new Client(port)) {
            assertThat(c.ask("GET users/42")).isEqualTo("Ada");
            assertThat(c.ask("GET greeting")).isEqualTo("NOT_FOUND");
        }
    }

    /** What a client knows of one key: the value last acknowledged, and the change in flight when the app died. */
    private record Known(Optional<String> acknowledged, Optional<Optional<String>> inFlight) {}

    @Test
    void everyAcknowledgedWriteSurvivesAHundredKills() throws Exception {
        Path image = dir.resolve("crash.img");
        int port = App.freePort();
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Known> known = new ConcurrentHashMap<>();
        int clients = 4;
        int keysPerClient = 40;
        for (int round = 0; round < 100; round++) {
            try (App app = startKv(image, port)) {
                checkAndSettle(port, known, "round " + round + " (seed " + seed + ")");
                AtomicBoolean killed = new AtomicBoolean();
                List<Thread> load = new ArrayList<>();
                for (int t = 0; t < clients; t++) {
                    SplittableRandom mine = random.split();
                    String prefix = "c" + t + "/k";
                    int r = round;
                    load.add(Thread.ofVirtual().start(() -> writeUntilKilled(port, prefix, keysPerClient, r, mine, known, killed)));
                }
                Thread.sleep(random.nextInt(30, 600));
                killed.set(true);
                app.kill();
                for (Thread t : load) t.join();
            }
        }
        try (App app = startKv(image, port)) {
            checkAndSettle(port, known, "after the last kill (seed " + seed + ")");
        }
        assertThat(ACKNOWLEDGED.get()).as("the load acknowledged writes").isPositive();
        System.out.println("KvIT: " + ACKNOWLEDGED.get() + " acknowledged writes over 100 kills, all there after each restart; "
                + LANDED.get() + " of the writes in flight at a kill were found done, " + LOST.get() + " not (seed " + seed + ")");
    }

    /** Sends SETs and DELs on one connection until the app dies, recording what was acknowledged. */
    private static void writeUntilKilled(int port, String prefix, int keys, int round, SplittableRandom random,
            Map<String, Known> known, AtomicBoolean killed) {
        try (Client c = new Client(port)) {
            for (int seq = 0; ; seq++) {
                String key = prefix + random.nextInt(keys);
                Optional<String> value = random.nextInt(8) == 0 ? Optional.empty()
                        : Optional.of("r" + round + "-s" + seq + "-" + "x".repeat(random.nextInt(0, 300)));
                Known before = known.getOrDefault(key, new Known(Optional.empty(), Optional.empty()));
                known.put(key, new Known(before.acknowledged(), Optional.of(value)));
                String answer = c.ask(value.map(v -> "SET " + key + " " + v).orElse("DEL " + key));
                if (!answer.equals("OK")) throw new AssertionError(key + ": " + answer);
                known.put(key, new Known(value, Optional.empty()));
                ACKNOWLEDGED.incrementAndGet();
            }
        } catch (IOException e) {
            if (!killed.get()) throw new AssertionError("a client failed before the kill", e);
        }
    }

    /** Checks every key against what was acknowledged (or the change in flight), then takes what is there as known. */
    private static void checkAndSettle(int port, Map<String, Known> known, String when) throws IOException {
        try (Client c = new Client(port)) {
            for (Map.Entry<String, Known> e : known.entrySet()) {
                String answer = c.ask("GET " + e.getKey());
                Optional<String> actual = answer.equals("NOT_FOUND") ? Optional.empty() : Optional.of(answer);
                Known k = e.getValue();
                boolean allowed = actual.equals(k.acknowledged()) || k.inFlight().map(actual::equals).orElse(false);
                assertThat(allowed).as("%s: %s is %s, but the last acknowledged write made it %s (in flight at the kill: %s)",
                        when, e.getKey(), actual, k.acknowledged(), k.inFlight()).isTrue();
                if (k.inFlight().isPresent() && !k.inFlight().get().equals(k.acknowledged())) {
                    (actual.equals(k.acknowledged()) ? LOST : LANDED).incrementAndGet();
                }
                e.setValue(new Known(actual, Optional.empty()));
            }
        }
    }
}
