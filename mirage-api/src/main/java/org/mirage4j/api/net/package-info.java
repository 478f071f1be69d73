/**
 * Network devices, from the frame level ({@link org.mirage4j.api.net.Network}) to flows
 * ({@link org.mirage4j.api.net.Flow}), and the address types they use.
 *
 * <p>Address types are immutable values: {@code parse(toString())} gives an equal value, and
 * {@code parse} of anything else throws {@link java.lang.IllegalArgumentException} with a message
 * that shows a valid example.
 *
 * <p>The layered devices ({@link org.mirage4j.api.net.Ethernet}, {@link org.mirage4j.api.net.Arp},
 * {@link org.mirage4j.api.net.Ipv4}, {@link org.mirage4j.api.net.Icmp}) exist only on the direct
 * stack; an application that needs just TCP and UDP asks for a
 * {@link org.mirage4j.api.net.StackV4V6}, which the host-socket stack provides too.
 *
 * <p>A device may offer checksum and segmentation offloads ({@link org.mirage4j.api.net.Offloads}),
 * which a stack turns on with {@link org.mirage4j.api.net.Network#enableOffloads}; the per-frame
 * metadata then travels in a {@link org.mirage4j.api.net.VirtioNetHeader} in front of each frame,
 * so the frame's readable bytes stay the plain frame and every other implementation works as before.
 */
package org.mirage4j.api.net;
