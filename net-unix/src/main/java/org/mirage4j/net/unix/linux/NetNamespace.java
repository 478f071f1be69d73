package org.mirage4j.net.unix.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.mirage4j.net.unix.linux.ErrnoException.Call;

/**
 * Runs a task inside a named network namespace (one made by {@code ip netns add}) without moving
 * the process or any other thread into it.
 *
 * <p>A network namespace belongs to a thread, and a descriptor opened in one stays bound to it:
 * a tap opened by a thread that has joined the namespace is that namespace's tap for its whole
 * life, whichever thread reads and writes it later. So the task runs on a new platform thread
 * that joins the namespace with {@code setns(2)} first and ends right after the task; it starts
 * no threads (they would inherit the namespace), and it is never a virtual thread, whose carrier
 * would stay in the namespace and run other virtual threads there.
 */
public final class NetNamespace {

    /** Where {@code ip netns add} keeps a file per namespace, as iproute2 names it. */
    private static final String NETNS_RUN_DIR = "/var/run/netns/";

    private NetNamespace() {}

    /** Work to run inside the namespace. */
    @FunctionalInterface
    public interface Task<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code task} on a new platform thread that has joined the network namespace
     * {@code name}, waits for it, and returns its result. Joining needs {@code CAP_SYS_ADMIN}.
     * The wait is not interruptible (the task is a few system calls, and abandoning it could leak
     * what it opens); an interrupt is kept for the caller.
     *
     * @param name the namespace's name under {@code /var/run/netns}, checked by the caller to
     *     contain no {@code /}
     * @throws ErrnoException with {@link Call#OPEN_NETNS} or {@link Call#SETNS} if the namespace
     *     cannot be joined, or whatever {@code task} throws
     */
    public static <T> T callInside(String name, Task<T> task) throws IOException {
        FutureTask<T> future = new FutureTask<>(() -> {
            join(name);
            return task.call();
        });
        Thread thread = Thread.ofPlatform().name("netns " + name).daemon(true).start(future);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        try {
            return future.resultNow();
        } catch (IllegalStateException notSuccessful) {
            Throwable cause = future.exceptionNow();
            if (cause instanceof IOException e) throw e;
            if (cause instanceof RuntimeException e) throw e;
            if (cause instanceof Error e) throw e;
            throw new IOException("The task in network namespace " + name + " failed", new ExecutionException(cause));
        }
    }

    /** Moves the calling thread into the namespace. */
    private static void join(String name) throws ErrnoException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(local);
            String path = NETNS_RUN_DIR + name;
            int fd = ErrnoException.check(LibC.open(state, local.allocateFrom(path), LibC.O_RDONLY | LibC.O_CLOEXEC),
                    Call.OPEN_NETNS, "open " + path);
            try {
                ErrnoException.check(LibC.setns(state, fd, LibC.CLONE_NEWNET), Call.SETNS,
                        "join network namespace " + name);
            } finally {
                LibC.close(state, fd);
            }
        }
    }
}
