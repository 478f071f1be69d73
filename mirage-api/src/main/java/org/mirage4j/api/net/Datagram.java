package org.mirage4j.api.net;

import io.netty.buffer.ByteBuf;

/**
 * A received UDP datagram. Whoever receives it owns {@code payload} and must release it.
 *
 * @param source the sender's address
 * @param sourcePort the sender's port
 * @param destination the address it was sent to (one of ours, or a broadcast address)
 * @param destinationPort our port
 * @param payload the data; owned by the receiver
 */
public record Datagram(IpAddress source, int sourcePort, IpAddress destination, int destinationPort, ByteBuf payload) {}
