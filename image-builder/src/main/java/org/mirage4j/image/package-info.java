/**
 * Builds the kvm target's image: the counterpart of what {@code mirage build} makes for Solo5.
 *
 * <p>{@link org.mirage4j.image.ImageBuilder} takes the application's jars and main class and writes
 * four files: {@code vmlinuz} (a Linux kernel, the hardware layer), {@code initrd.img} (a cpio
 * archive, gzip- or xz-compressed, holding a jlinked Java runtime in {@code /jre}, the jars and
 * the AOT cache in {@code /app}, the C library and loader the JVM links against in {@code /lib} and {@code /lib64}, the kernel
 * modules in {@code /lib/modules} with their load order, {@code /dev/console} and the mount points;
 * no shell and no program but {@code /jre/bin/java}), {@code cmdline} (the kernel command line that makes the
 * JVM init) and {@code run.sh} (the QEMU launcher, whose exit status is the unikernel's).
 *
 * <p>Under QEMU TCG the JVM's start and boot's first FFM downcall take seconds; an AOT cache made
 * at build time by a training run ({@link org.mirage4j.image.AotCache}) shortens both.
 *
 * <p>The kernel is an input ({@link org.mirage4j.image.Kernel}): Debian's cloud kernel, fetched and
 * cached by {@link org.mirage4j.image.DebianCloudKernel}, or any kernel installed into a directory.
 * Every error a user can cause is an {@link org.mirage4j.image.ImageException} whose message says
 * what to do. Classes here are used from one thread.
 */
package org.mirage4j.image;
