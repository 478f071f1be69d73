/**
 * The only native code of net-virtio: Linux system calls through the FFM API
 * ({@code java.lang.foreign}), x86-64 only.
 *
 * <p>{@link org.mirage4j.virtio.linux.NativeFile} is one open file: sysfs PCI config and resource
 * files, {@code /dev/uioN}, {@code /dev/mem}, a hugetlbfs file, {@code /proc/self/pagemap}. It reads
 * and writes registers of an exact width ({@code pread}/{@code pwrite}), maps ({@code mmap}), waits
 * ({@code poll}). {@link org.mirage4j.virtio.linux.Pagemap} turns a virtual address into a physical
 * one. Everything goes through one downcall handle, libc's {@code syscall(3)}, linked on first use
 * (under QEMU TCG each new handle shape costs tenths of a second, the first one seconds).
 *
 * <p>Contract: a failed call never goes unnoticed; it is an
 * {@link org.mirage4j.virtio.linux.ErrnoException} naming the call, the file and the errno.
 */
package org.mirage4j.virtio.linux;
