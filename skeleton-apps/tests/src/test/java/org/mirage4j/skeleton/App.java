package org.mirage4j.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One skeleton application running as a user runs it: its own JVM, its generated {@code mirage.Main},
 * the class path its build recorded in {@code target/mirage/classpath}. Output lines are collected
 * as they come.
 */
final class App implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private App(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(line);
            } catch (IOException e) {
                lines.add("(reading the app's output failed: " + e + ")");
            }
        });
    }

    /** Starts the app in {@code skeleton-apps/NAME} with {@code args}. */
    static App start(String name, String... args) throws IOException {
        return startIn(Path.of("..", name).toAbsolutePath().normalize(), args);
    }

    /** Starts the app built in {@code dir} (an {@link AppCopy}, say) with {@code args}. */
    static App startIn(Path dir, String... args) throws IOException {
        String name = dir.getFileName().toString();
        Path classpathFile = dir.resolve("target/mirage/classpath");
        assertThat(classpathFile).as("the build of %s writes its class path", name).exists();
        String classpath = dir.resolve("target/classes") + java.io.File.pathSeparator + Files.readString(classpathFile).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=PARANOID", "-cp", classpath, "mirage.Main"));
        command.addAll(List.of(args));
        return new App(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a line containing {@code text} appears. */
    App awaitLine(String text, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (lines.stream().anyMatch(l -> l.contains(text))) return this;
            if (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(text))) {
                Thread.sleep(200); // let the reader drain
                if (lines.stream().anyMatch(l -> l.contains(text))) return this;
                throw new AssertionError("the app exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + text + "' within " + timeout + ":\n" + output());
    }

    /** Waits for the app to exit and returns its status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the app did not exit within " + timeout + ":\n" + output());
        }
        Thread.sleep(200); // let the reader drain
        return process.exitValue();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines);
    }

    /** Kills the app at once, as {@code kill -9} does: no shutdown hook, no device disconnects. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Interrupts the app as Ctrl-C would (SIGTERM runs the same shutdown) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close the output the reader still drains.
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        reader.join(Duration.ofSeconds(5)); // the last lines (the devices' goodbyes) are in lines() after this
    }
}
