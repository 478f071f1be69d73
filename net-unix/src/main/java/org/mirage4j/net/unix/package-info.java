/**
 * The network device of the unix target: a Linux tap interface
 * ({@link org.mirage4j.net.unix.TapNetwork}, bound by
 * {@link org.mirage4j.net.unix.TapNetworkModule}).
 *
 * <p>Contract: the device moves whole Ethernet frames, without a copy of its own: a received
 * frame is read by the kernel straight into a pooled direct buffer that the handler then owns
 * (a frame of at most 2 KiB read into a 64 KiB buffer is copied out of it, so that the large
 * buffer serves the next read); a frame to send is written by the filler into a direct buffer
 * that the device owns and releases. Frames longer than the MTU plus the 14-byte header (with
 * offloads on, than the offloads' largest frame) are counted and dropped on receive, and refused
 * with {@link java.lang.IllegalArgumentException} on send. With
 * {@link org.mirage4j.api.net.Network#enableOffloads} the frames carry a
 * {@link org.mirage4j.api.net.VirtioNetHeader} in front, both ways; where the kernel cannot, the
 * device says so once at INFO and moves plain frames. Every failure to attach that a
 * user can fix is a {@link org.mirage4j.api.DeviceException} whose one sentence says what to do.
 * Native calls are confined to {@link org.mirage4j.net.unix.linux}.
 */
package org.mirage4j.net.unix;
