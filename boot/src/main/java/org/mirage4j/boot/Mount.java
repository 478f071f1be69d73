package org.mirage4j.boot;

/**
 * One file system PID 1 mounts.
 *
 * @param source what mount(2) calls the source (a name for pseudo file systems)
 * @param target the directory mounted on, which exists in the initramfs or is made first
 * @param type the file system type, as {@code /proc/filesystems} lists it
 * @param flags mount(2) flags ({@code MS_*})
 */
record Mount(String source, String target, String type, long flags) {

    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;

    /** proc comes first: the JVM started without it, and everything else here reads it. */
    static final Mount PROC = new Mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    static final Mount SYS = new Mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    static final Mount DEV = new Mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID);
    /** Made only when the kernel has hugetlbfs; the virtio drivers put their rings there. */
    static final Mount HUGEPAGES = new Mount("hugetlbfs", "/dev/hugepages", "hugetlbfs", MS_NOSUID | MS_NODEV);
}
