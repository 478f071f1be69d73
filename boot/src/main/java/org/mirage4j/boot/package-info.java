/**
 * The kvm target's PID 1: the JVM itself is the VM's init, and this package does init's work.
 *
 * <p>{@link org.mirage4j.boot.Boot#init} mounts proc (first: the JVM starts without it), sys,
 * devtmpfs on {@code /dev} and, when the kernel has it, hugetlbfs on {@code /dev/hugepages}; loads
 * the kernel modules listed in {@code /lib/modules/load-order}; and returns the runtime arguments.
 * {@link org.mirage4j.boot.Boot#exit} flushes and drains the console, writes the exit status to the
 * second serial port and powers the VM off with reboot(2).
 *
 * <h2>Runtime keys</h2>
 * {@code run.sh -- --port=8081} appends {@code --port=8081} after the {@code --} of the kernel
 * command line, so the kernel passes it to init and it reaches {@code main}'s arguments. A key may
 * also be written before {@code --} as {@code mirage.port=8081} (for launchers that only add kernel
 * parameters); it is read from {@code /proc/cmdline}. When both are given, the one after {@code --}
 * wins. The kernel passes at most 31 words after {@code --} (CONFIG_INIT_ENV_ARG_LIMIT); the
 * {@code mirage.} form has no such limit.
 *
 * <p>Outside the VM (pid not 1) both methods fall back to plain JVM behaviour, so a kvm main also
 * runs on the host; there, with {@code -Dmirage.boot.aot-training=true}, {@code init} is the image
 * builder's AOT training run: it exercises the harmless part of the boot path and exits 0. Native calls live in {@link org.mirage4j.boot.linux}.
 */
package org.mirage4j.boot;
