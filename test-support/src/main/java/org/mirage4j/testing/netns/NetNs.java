package org.mirage4j.testing.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A network namespace of its own for one test: made by {@code ip netns add} with a unique name,
 * deleted by {@link #close()}, which first kills every process still running in it.
 *
 * <pre>{@code
 * try (NetNs ns = NetNs.create()) {
 *     ns.exec("ip", "tuntap", "add", "dev", "tap0", "mode", "tap");
 *     NetNsProcess ping = ns.start("ping", "-c", "1", "10.0.0.2");
 *     ...
 * }
 * }</pre>
 *
 * <p>Everything a test configures happens inside the namespace ({@code ip netns exec NAME ...}),
 * never in the machine's own. Its loopback interface is up. A namespace that a test leaves open
 * (a test killed halfway) is deleted when the JVM exits. Needs root: guard the test with
 * {@link RequiresNetNs}.
 *
 * <p>Thread-safe.
 */
public final class NetNs implements AutoCloseable {

    /** How long {@link #exec} waits for a command before killing it. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<NetNs> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            for (NetNs ns : OPEN) {
                try {
                    ns.close();
                } catch (IOException | RuntimeException e) {
                    System.err.println("Could not delete network namespace " + ns.name + ": " + e.getMessage());
                }
            }
        }));
    }

    private final String name;
    private final Path ip;
    private final List<NetNsProcess> processes = new ArrayList<>();
    private boolean closed;

    private NetNs(String name, Path ip) {
        this.name = name;
        this.ip = ip;
    }

    /** Creates a namespace named {@code m4j-<pid>-<n>-<random>}, with loopback up. */
    public static NetNs create() throws IOException {
        return create("m4j");
    }

    /**
     * Creates a namespace named {@code <prefix>-<pid>-<n>-<random>}, with loopback up. If setting
     * it up fails, the namespace is deleted before the exception is thrown.
     *
     * @param prefix letters, digits and dashes, to tell the test's namespaces apart in {@code ip netns list}
     */
    public static NetNs create(String prefix) throws IOException {
        if (!prefix.matches("[A-Za-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("Prefix '" + prefix + "' must be 1 to 32 letters, digits or dashes.");
        }
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        Path ip = Commands.ip();
        Commands.run(COMMAND_TIMEOUT, List.of(ip.toString(), "netns", "add", name)).orThrow();
        NetNs ns = new NetNs(name, ip);
        OPEN.add(ns);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            try {
                ns.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return ns;
    }

    /** The namespace's name, as {@code ip netns} knows it (and {@code /var/run/netns/} holds it). */
    public String name() {
        return name;
    }

    /**
     * Runs {@code command} inside the namespace and returns its standard output.
     *
     * @throws IOException if it exits with a status other than 0 (the message shows the command,
     *     the status and its standard error), or runs longer than {@link #COMMAND_TIMEOUT}
     */
    public String exec(String... command) throws IOException {
        return run(COMMAND_TIMEOUT, command).orThrow().stdout();
    }

    /**
     * Runs {@code command} inside the namespace and returns how it ended, whatever its status.
     *
     * @throws IOException if it cannot be started, or runs longer than {@code timeout} (it is killed)
     */
    public CommandResult run(Duration timeout, String... command) throws IOException {
        checkOpen();
        return Commands.run(timeout, inside(command));
    }

    /**
     * Starts {@code command} inside the namespace in the background. It is killed by
     * {@link #close()} if still running then; its output is kept for {@link NetNsProcess#await}.
     */
    public NetNsProcess start(String... command) throws IOException {
        return start(false, command);
    }

    /**
     * {@link #start} with the command's standard input a pipe the test writes with {@link NetNsProcess#type}
     * (a VM's console, say), kept open until the process ends.
     */
    public NetNsProcess startWithInput(String... command) throws IOException {
        return start(true, command);
    }

    private NetNsProcess start(boolean withInput, String... command) throws IOException {
        synchronized (this) {
            checkOpen();
            NetNsProcess process = NetNsProcess.start(inside(command), withInput);
            processes.add(process);
            return process;
        }
    }

    /**
     * Kills the processes started in the namespace and any other process still in it, then
     * deletes the namespace. Idempotent.
     *
     * @throws IOException if the namespace could not be deleted (the message shows why)
     */
    @Override
    public void close() throws IOException {
        List<NetNsProcess> started;
        synchronized (this) {
            if (closed) return;
            closed = true;
            started = List.copyOf(processes);
        }
        try {
            for (NetNsProcess process : started) process.close();
            killRemaining();
            Commands.run(COMMAND_TIMEOUT, List.of(ip.toString(), "netns", "del", name)).orThrow();
        } finally {
            OPEN.remove(this);
        }
    }

    @Override
    public String toString() {
        return "NetNs[" + name + "]";
    }

    /**
     * A process that forked away from the one we started (a daemon) keeps the namespace alive
     * after {@code ip netns del}, so everything {@code ip netns pids} still lists is killed.
     */
    private void killRemaining() throws IOException {
        CommandResult pids = Commands.run(COMMAND_TIMEOUT, List.of(ip.toString(), "netns", "pids", name));
        if (pids.exitCode() != 0) return; // the namespace is already gone: nothing to kill
        pids.stdout().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong)
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .forEach(handle -> {
                    handle.destroyForcibly();
                    try {
                        handle.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        // SIGKILL was sent; if it is slow to go, `ip netns del` still removes the name
                    }
                });
    }

    private List<String> inside(String... command) {
        if (command.length == 0) throw new IllegalArgumentException("No command given.");
        return Stream.concat(Stream.of(ip.toString(), "netns", "exec", name), Stream.of(command)).toList();
    }

    private synchronized void checkOpen() {
        if (closed) throw new IllegalStateException("Network namespace " + name + " is closed.");
    }
}
