package org.mirage4j.tcpip.link;

import io.netty.buffer.ByteBuf;

/**
 * A frame a {@link FaultyNetwork} has taken over and will pass on later, once or twice.
 *
 * <p>Ownership: whoever holds a {@code QueuedFrame} owns {@code frame} (reference count 1) and must either pass it on
 * or release it, exactly once; a duplicate is copied when the frame is passed on, not before.
 *
 * @param frame the frame's bytes, between reader and writer index
 * @param duplicate whether to pass it on twice
 */
record QueuedFrame(ByteBuf frame, boolean duplicate) {}
