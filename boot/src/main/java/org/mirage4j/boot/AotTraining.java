package org.mirage4j.boot;

import java.util.List;
import org.mirage4j.boot.linux.SyscallException;
import org.mirage4j.boot.linux.Syscalls;

/**
 * The build-time training run of the image's JVM (JDK 25's {@code -XX:AOTCacheOutput}): on the
 * build machine, {@code Boot.init} does here what is harmless of its boot path, so that the
 * classes and method handles it needs, above all the FFM downcall's, are loaded and linked into
 * the AOT cache, and ends the run. Under TCG, that halves the cost of linking {@code syscall(3)}.
 */
final class AotTraining {

    /** The system property the image builder sets on the training run. */
    static final String PROPERTY = "mirage.boot.aot-training";

    private AotTraining() {}

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Exercises the boot path without changing the machine, then exits the JVM with status 0. */
    static void runAndExit(List<String> args) {
        Syscalls syscalls = Syscalls.link();
        try {
            syscalls.close(syscalls.open("/", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC));
            syscalls.open("/nonexistent/mirage4j-training", Syscalls.O_RDONLY);
        } catch (SyscallException expected) {
            // the error path is part of the boot path too
        }
        FileSystems.kernelHas("nodev\thugetlbfs\n", Mount.HUGEPAGES.type());
        KernelModules.names("uio.ko\n");
        RuntimeArguments.merge("mirage.training=1 -- Main", args);
        PowerOff.statusLine(0);
        System.exit(0);
    }
}
