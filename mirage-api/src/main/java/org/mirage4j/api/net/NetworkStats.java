package org.mirage4j.api.net;

/**
 * Counters of a network device since connect.
 *
 * @param rxPackets frames received and handed to the listener
 * @param rxBytes bytes of those frames
 * @param rxDropped frames received but dropped by the device (too long, no buffer)
 * @param txPackets frames sent
 * @param txBytes bytes of those frames
 * @param txErrors frames that could not be sent
 */
public record NetworkStats(long rxPackets, long rxBytes, long rxDropped, long txPackets, long txBytes, long txErrors) {}
