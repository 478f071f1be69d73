package org.mirage4j.testing.netns;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs commands of the host and finds the {@code ip} program. */
final class Commands {

    /** Where {@code ip} lives on Debian, which a user's {@code PATH} often lacks. */
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Commands() {}

    /** The {@code ip} program of iproute2, if installed. */
    static Optional<Path> findIp() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), SBIN.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "ip"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The {@code ip} program, or an exception that says which package to install. */
    static Path ip() throws IOException {
        return findIp().orElseThrow(() -> new IOException(
                "The ip command is missing: install it with `sudo apt-get install iproute2`."));
    }

    /**
     * Runs {@code command}, collecting its output, and kills it if it runs longer than {@code timeout}.
     *
     * @throws IOException if it cannot be started or times out
     */
    static CommandResult run(Duration timeout, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // Both streams are drained at once: a command that fills one pipe would otherwise block forever.
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("`" + String.join(" ", command) + "` did not end within " + timeout.toSeconds()
                        + " s and was killed.");
            }
            return new CommandResult(command, process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running `" + String.join(" ", command) + "`.", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }
}
