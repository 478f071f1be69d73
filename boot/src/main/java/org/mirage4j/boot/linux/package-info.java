/**
 * The only native code of the boot module: Linux system calls through the Foreign Function and
 * Memory API, x86-64 only.
 *
 * <p>{@link org.mirage4j.boot.linux.Syscalls} links one downcall handle (libc's
 * {@code syscall(3)}) and offers typed methods over it; each failure is a
 * {@link org.mirage4j.boot.linux.SyscallException} that names the call and its errno. The JVM must
 * run with {@code --enable-native-access=ALL-UNNAMED} (the image builder's default options have it).
 */
package org.mirage4j.boot.linux;
