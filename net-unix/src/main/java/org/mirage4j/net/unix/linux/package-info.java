/**
 * The native side of the tap device: the only code of this module that calls the C library,
 * through the FFM API ({@code java.lang.foreign}); no JNI.
 *
 * <p>{@link org.mirage4j.net.unix.linux.Tun} is one descriptor attached to a tap interface (open
 * {@code /dev/net/tun}, {@code ioctl(TUNSETIFF)}, with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD} where the kernel has them), with non-blocking reads, {@code poll(2)} and an
 * eventfd to wake the receive loop; frames are read and written at a direct buffer's address, with
 * no segment or arena made per call; {@link org.mirage4j.net.unix.linux.NetNamespace} runs the
 * attach inside a named network namespace.
 *
 * <p>Contract: a failed call never goes unnoticed. It comes back either as a negated
 * {@code errno} (the calls on a frame's path, where {@code -EAGAIN} is routine) or as an
 * {@link org.mirage4j.net.unix.linux.ErrnoException} naming the call and its {@code errno}, so
 * that the device can tell the user what to do. Constants are those of Linux on x86-64 and
 * AArch64.
 */
package org.mirage4j.net.unix.linux;
