package org.mirage4j.skeleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command run to its end with a time limit, its output collected. */
record Run(int status, String output) {
    static Run of(Path dir, int seconds, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(reading output failed: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            reader.join();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s:\n"
                    + new String(out[0], StandardCharsets.UTF_8));
        }
        reader.join();
        return new Run(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }

    List<String> lines() {
        return output.lines().map(l -> l.replace("\r", "")).toList();
    }
}
