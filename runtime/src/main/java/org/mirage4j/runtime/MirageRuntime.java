package org.mirage4j.runtime;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.mirage4j.api.Console;
import org.mirage4j.api.Device;
import org.mirage4j.api.DeviceException;
import org.mirage4j.api.Job;
import org.mirage4j.api.RuntimeKey;
import org.mirage4j.console.log.HostedLogging;
import org.mirage4j.console.log.Logs;
import org.mirage4j.console.log.NettyLogging;

/**
 * Runs one unikernel: parses its keys, connects its devices in order, runs its job on a virtual
 * thread, and disconnects the devices in reverse order when the job ends or the process is
 * interrupted (SIGINT, SIGTERM).
 *
 * <p>Runs on the thread that calls {@link #run}, normally the process's main thread; the job runs
 * on a virtual thread of its own; disconnection on interrupt runs on the JVM's shutdown-hook thread.
 *
 * <p>Exit statuses: 0 when the job returns, 1 when it throws or a device cannot connect, 2 for a
 * wrong command line.
 */
public final class MirageRuntime {

    /** The exit status of a job that returned. */
    public static final int OK = 0;
    /** The exit status of a job that threw, or of a device that could not connect. */
    public static final int FAILED = 1;
    /** The exit status of a command line that could not be parsed. */
    public static final int USAGE = 2;

    private static final System.Logger LOG = System.getLogger("mirage");

    private final String name;
    private final List<RuntimeKey<?>> keys;
    private final Function<KeyValues, Wiring> wire;
    private final PrintStream out;
    private final PrintStream err;

    private final Deque<Connected> connected = new ArrayDeque<>();
    private final AtomicBoolean disconnecting = new AtomicBoolean();
    /** The console the logs go to: the first one connected. */
    private Console logConsole;

    private record Connected(String name, Device device) {}

    MirageRuntime(String name, List<RuntimeKey<?>> keys, Function<KeyValues, Wiring> wire, PrintStream out, PrintStream err) {
        this.name = name;
        this.keys = List.copyOf(keys);
        this.wire = wire;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the unikernel {@code name} with {@code args} and returns its exit status; the caller
     * passes it to {@link System#exit}.
     *
     * @param keys every runtime key the configuration declares
     * @param wire builds the devices and the job from the key values (the generated Dagger component)
     */
    public static int run(String name, List<RuntimeKey<?>> keys, String[] args, Function<KeyValues, Wiring> wire) {
        return new MirageRuntime(name, keys, wire, System.out, System.err).run(Arrays.asList(args));
    }

    int run(List<String> args) {
        // Before any netty class picks its logger, and before anything logs.
        NettyLogging.install();
        HostedLogging.install();
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(keys, args);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            return USAGE;
        }
        if (commandLine.help()) {
            out.print(CommandLine.help(name, keys));
            out.flush();
            return OK;
        }
        Logs.setLevels(commandLine.logLevels());

        Thread hook = Thread.ofPlatform().name("mirage-shutdown").unstarted(() -> {
            LOG.log(Level.INFO, "interrupted: disconnecting devices");
            disconnectAll();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Wiring wiring = wire.apply(commandLine.values());
            if (!connectAll(wiring)) return FAILED;
            return runJob(wiring);
        } finally {
            disconnectAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run; nothing left to do
            }
        }
    }

    private boolean connectAll(Wiring wiring) {
        for (Wiring.NamedDevice named : wiring.devices()) {
            Device device;
            try {
                device = named.device().get();
                LOG.log(Level.DEBUG, "connecting {0} ({1})", named.name(), device.getClass().getSimpleName());
                device.connect();
            } catch (DeviceException e) {
                // One sentence the user can act on; the stack trace would only hide it.
                err.println(name + ": " + named.name() + ": " + e.getMessage());
                return false;
            } catch (Exception | LinkageError e) {
                if (e instanceof java.io.UncheckedIOException u && u.getCause() instanceof DeviceException cause) {
                    // The same, from a constructor (Dagger's providers cannot throw checked exceptions).
                    err.println(name + ": " + named.name() + ": " + cause.getMessage());
                    return false;
                }
                err.println(name + ": device " + named.name() + " could not connect: " + e);
                e.printStackTrace(err);
                return false;
            }
            synchronized (connected) {
                connected.push(new Connected(named.name(), device));
            }
            if (device instanceof Console console && logConsole == null) {
                logConsole = console;
                Logs.attach(console);
            }
        }
        return true;
    }

    private int runJob(Wiring wiring) {
        int[] status = {OK};
        Thread job = Thread.ofVirtual().name("job").unstarted(() -> {
            try {
                Job j = wiring.job().get();
                j.start();
            } catch (Throwable t) {
                status[0] = FAILED;
                LOG.log(Level.ERROR, "the job failed", t);
            }
        });
        job.start();
        try {
            job.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.interrupt();
            return FAILED;
        }
        return status[0];
    }

    /** Disconnects every connected device, last connected first, once; never throws. */
    private void disconnectAll() {
        if (!disconnecting.compareAndSet(false, true)) return;
        while (true) {
            Connected c;
            synchronized (connected) {
                c = connected.poll();
            }
            if (c == null) break;
            try {
                LOG.log(Level.DEBUG, "disconnecting {0}", c.name());
                if (c.device() == logConsole) Logs.detach();
                c.device().disconnect();
            } catch (RuntimeException e) {
                err.println(name + ": device " + c.name() + " failed to disconnect: " + e);
            }
        }
    }
}
