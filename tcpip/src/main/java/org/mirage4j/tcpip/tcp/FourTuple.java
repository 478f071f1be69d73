package org.mirage4j.tcpip.tcp;

import java.util.Objects;
import org.mirage4j.api.net.Ipv4Address;

/**
 * What identifies a connection: our address and port and the peer's, as seen from our side.
 *
 * @param localAddress our address
 * @param localPort our port, 1 to 65535
 * @param remoteAddress the peer's address
 * @param remotePort the peer's port, 1 to 65535
 */
public record FourTuple(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort) {

    public FourTuple {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("Ports are 0 to 65535, not " + localPort + " and " + remotePort + ".");
        }
    }

    @Override
    public String toString() {
        return localAddress + ":" + localPort + "<->" + remoteAddress + ":" + remotePort;
    }
}
