package org.mirage4j.tcpip.direct;

import java.io.IOException;
import org.mirage4j.api.net.MacAddress;

/**
 * A packet that waits in ARP's queue for the hardware address of its next hop. The queue owns it until it calls
 * exactly one of {@link #transmit} and {@link #discard}, which both release its buffer.
 */
interface PendingPacket {

    /** The bytes it holds, which count against its queue's bound. */
    int length();

    /** Sends it to {@code nextHop} and releases it, also when it throws. */
    void transmit(MacAddress nextHop) throws IOException;

    /** Releases it unsent. */
    void discard();
}
