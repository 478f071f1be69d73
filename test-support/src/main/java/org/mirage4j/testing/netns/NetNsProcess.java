package org.mirage4j.testing.netns;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command running in the background inside a {@link NetNs}, started by {@link NetNs#start}.
 * Its standard output and error go to temporary files, so it never blocks on a full pipe.
 * {@link #close()} (which {@link NetNs#close()} calls) kills it if it is still running.
 */
public final class NetNsProcess implements AutoCloseable {

    private static final Duration TERM_WAIT = Duration.ofSeconds(2);

    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final boolean withInput;

    private NetNsProcess(List<String> command, Process process, Path stdout, Path stderr, boolean withInput) {
        this.command = command;
        this.withInput = withInput;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static NetNsProcess start(List<String> command, boolean withInput) throws IOException {
        Path stdout = Files.createTempFile("netns-", ".out");
        Path stderr = Files.createTempFile("netns-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(withInput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            return new NetNsProcess(List.copyOf(command), process, stdout, stderr, withInput);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            throw e;
        }
    }

    /** Whether it is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Writes {@code bytes} to its standard input, as typed; only for a process started with
     * {@link NetNs#startWithInput}.
     *
     * @throws IOException if it has ended, or was started without input
     */
    public void type(byte[] bytes) throws IOException {
        if (!withInput) throw new IOException("`" + String.join(" ", command) + "` takes no input: start it with NetNs.startWithInput.");
        OutputStream input = process.getOutputStream();
        input.write(bytes);
        input.flush();
    }

    /** Its standard output and error so far, while it runs. */
    public String outputSoFar() throws IOException {
        return read(stdout) + read(stderr);
    }

    /**
     * Waits for it to end and returns its status and output.
     *
     * @throws IOException if it does not end within {@code timeout} (it is left running; {@link #close()} kills it)
     */
    public CommandResult await(Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("`" + String.join(" ", command) + "` did not end within " + timeout.toMillis()
                        + " ms; its output so far: " + read(stdout) + read(stderr));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for `" + String.join(" ", command) + "`.", e);
        }
        return new CommandResult(command, process.exitValue(), read(stdout), read(stderr));
    }

    /** Asks it to stop (SIGTERM), kills it (SIGKILL) if it is still running after two seconds, and deletes its output. */
    @Override
    public void close() throws IOException {
        try {
            ProcessHandle handle = process.toHandle();
            handle.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(TERM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(TERM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    @Override
    public String toString() {
        return "NetNsProcess[" + String.join(" ", command) + "]";
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
