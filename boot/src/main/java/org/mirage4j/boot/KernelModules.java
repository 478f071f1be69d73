package org.mirage4j.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mirage4j.boot.linux.Errno;
import org.mirage4j.boot.linux.SyscallException;
import org.mirage4j.boot.linux.Syscalls;

/**
 * Loads the kernel modules the image builder put in the initramfs, in the order it wrote in
 * {@value #LOAD_ORDER}: one file name per line, each module after the ones it depends on.
 */
final class KernelModules {

    /** Where the image builder writes the load order; the modules are in the same directory. */
    static final String LOAD_ORDER = "/lib/modules/load-order";

    private KernelModules() {}

    /**
     * Loads every listed module with finit_module(2). A module the kernel already has is skipped.
     * Runs on PID 1's main thread after the file systems are mounted.
     *
     * @return the number of modules loaded
     */
    static int loadAll(Syscalls syscalls) throws IOException {
        Path order = Path.of(LOAD_ORDER);
        if (!Files.exists(order)) return 0;
        int loaded = 0;
        for (String name : names(Files.readString(order))) {
            Path file = order.resolveSibling(name);
            int fd = syscalls.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
            try {
                syscalls.loadModule(fd, name);
                loaded++;
            } catch (SyscallException e) {
                if (e.errno() != Errno.EEXIST) throw e;
            } finally {
                syscalls.close(fd);
            }
        }
        return loaded;
    }

    /** The module file names in a load-order file: one a line, blank lines and {@code #} comments skipped. */
    static List<String> names(String loadOrder) {
        return loadOrder.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
