package org.mirage4j.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mirage4j.boot.linux.SyscallException;
import org.mirage4j.boot.linux.Syscalls;

/** Mounts the file systems a unikernel uses: proc, sys, devtmpfs on /dev, and hugetlbfs when the kernel has it. */
final class FileSystems {

    private FileSystems() {}

    /**
     * Mounts them in order. Runs on PID 1's main thread before anything reads {@code /proc}.
     *
     * @return whether hugetlbfs was mounted on {@code /dev/hugepages}
     */
    static boolean mountAll(Syscalls syscalls) throws IOException {
        mount(syscalls, Mount.PROC);
        mount(syscalls, Mount.SYS);
        mount(syscalls, Mount.DEV);
        if (!kernelHas(Files.readString(Path.of("/proc/filesystems")), Mount.HUGEPAGES.type())) return false;
        Files.createDirectories(Path.of(Mount.HUGEPAGES.target())); // /dev is a fresh devtmpfs: make the mount point
        mount(syscalls, Mount.HUGEPAGES);
        return true;
    }

    /** Whether a {@code /proc/filesystems} listing names {@code type} ({@code "nodev\thugetlbfs"} lines). */
    static boolean kernelHas(String procFilesystems, String type) {
        return procFilesystems.lines().map(String::strip).anyMatch(line -> line.equals(type) || line.endsWith("\t" + type)
                || line.endsWith(" " + type));
    }

    private static void mount(Syscalls syscalls, Mount m) throws SyscallException {
        syscalls.mount(m.source(), m.target(), m.type(), m.flags(), null);
    }
}
