package org.mirage4j.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mirage4j.api.DeviceException;
import org.mirage4j.boot.linux.Syscalls;

/**
 * What a kvm target's generated {@code main} calls: {@link #init} first thing, {@link #exit} last.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Boot.run(args, keys -> { ...parse keys, build the component, start the job...; return 0; });
 * }
 * }</pre>
 *
 * <p>As PID 1 of the VM, {@code init} mounts proc, sys, devtmpfs and hugetlbfs and loads the
 * image's kernel modules, and {@code exit} powers the VM off with the status {@code run.sh} returns.
 * In any other process (a test, a run on the host) {@code init} only returns the arguments and
 * {@code exit} is {@link System#exit}, so the same {@code main} runs anywhere; with the system
 * property {@code mirage.boot.aot-training} set, {@code init} is the image builder's AOT training run
 * instead, and ends the JVM.
 *
 * <p>Runs on the main thread; {@code exit} may be called from any thread.
 */
public final class Boot {

    private static final Logger LOG = System.getLogger("boot");

    /** The main thread's body: returns the exit status or throws. */
    @FunctionalInterface
    public interface Program {
        /**
         * Runs the unikernel.
         *
         * @param args the runtime arguments from {@link #init}
         * @return the exit status
         */
        int run(List<String> args) throws Exception;
    }

    private static volatile Syscalls syscalls;

    private Boot() {}

    /** Whether this JVM is the VM's init process. */
    public static boolean isInit() {
        return ProcessHandle.current().pid() == 1;
    }

    /**
     * Prepares the VM and returns the runtime arguments: the {@code mirage.NAME=VALUE} words of the
     * kernel command line as {@code --NAME=VALUE}, then {@code args} (see {@link RuntimeArguments}).
     * Also makes an exception that escapes the main thread print its stack trace and end the VM
     * with status 1. Call it once, first thing in {@code main}.
     *
     * @throws UncheckedIOException when a mount or a module load fails; the message names the call and errno
     */
    public static List<String> init(String[] args) {
        List<String> given = Arrays.asList(args);
        if (!isInit()) {
            if (AotTraining.requested()) AotTraining.runAndExit(given); // at build time, on the build machine
            return List.copyOf(given);
        }
        long start = System.nanoTime();
        Thread main = Thread.currentThread();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            failure.printStackTrace();
            if (thread == main) exit(1);
        });
        try {
            Syscalls linked = Syscalls.link();
            syscalls = linked;
            long linkedAt = System.nanoTime();
            boolean hugePages = FileSystems.mountAll(linked);
            long mountedAt = System.nanoTime();
            int modules = KernelModules.loadAll(linked);
            ConsoleTerminal.acquire(linked); // Ctrl-\ on the console prints the threads' stacks
            long loadedAt = System.nanoTime();
            String cmdline = Files.readString(Path.of("/proc/cmdline"));
            double mainAt = uptimeSeconds() - (System.nanoTime() - start) / 1e9;
            LOG.log(Level.DEBUG, () -> String.format(Locale.ROOT,
                    "main started %.2f s after the kernel; linking syscall(3) %d ms, mounts %d ms (hugetlbfs %s), %d modules %d ms",
                    mainAt, ms(start, linkedAt), ms(linkedAt, mountedAt), hugePages ? "yes" : "no", modules,
                    ms(mountedAt, loadedAt)));
            return RuntimeArguments.merge(cmdline, given);
        } catch (IOException e) {
            throw new UncheckedIOException("boot: " + e.getMessage(), e);
        }
    }

    /**
     * Ends the unikernel with {@code status} (0..255): flushes the console and, as PID 1, reports the
     * status to the host and powers the VM off. Never returns.
     */
    public static void exit(int status) {
        if (!isInit()) {
            System.exit(status);
            return;
        }
        Syscalls linked = syscalls;
        if (linked == null) linked = Syscalls.link(); // exit without init: still power off
        PowerOff.now(linked, status);
    }

    /**
     * Runs {@code program} between {@link #init} and {@link #exit}: its return value is the exit
     * status; a {@link DeviceException} prints its message and ends with status 1; any other
     * exception or error prints its stack trace on the console and ends with status 1. Never returns.
     */
    public static void run(String[] args, Program program) {
        int status;
        try {
            status = program.run(init(args));
        } catch (DeviceException e) {
            System.err.println(e.getMessage());
            status = 1;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        exit(status);
    }

    /** Seconds since the kernel started, from {@code /proc/uptime} ("12.34 5.67"). */
    private static double uptimeSeconds() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
