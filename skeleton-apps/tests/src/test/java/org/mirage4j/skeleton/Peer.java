package org.mirage4j.skeleton;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real client program (socat, nc, curl), run with input and a time limit. */
final class Peer {

    private Peer() {}

    record Result(int status, byte[] out) {
        String text() {
            return new String(out, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Result run(byte[] input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException ignored) {
                // the peer may exit before reading everything; its status says so
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        writer.join();
        return new Result(p.exitValue(), out);
    }
}
