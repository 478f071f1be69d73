package org.mirage4j.tcpip.direct;

import java.io.Serial;
import java.net.SocketException;

/** A datagram with "don't fragment" set does not fit the link's MTU (RFC 791: it must not be fragmented). */
final class DatagramTooBigException extends SocketException {
    @Serial private static final long serialVersionUID = 1L;

    DatagramTooBigException(int size, int maxPayload) {
        super("A datagram of " + size + " payload bytes with \"don't fragment\" set does not fit this link, which carries at most "
                + maxPayload + ": send less per datagram or allow fragmentation.");
    }
}
