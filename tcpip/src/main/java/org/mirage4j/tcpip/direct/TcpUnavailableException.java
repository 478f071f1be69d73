package org.mirage4j.tcpip.direct;

import java.io.IOException;
import java.io.Serial;

/** TCP was asked of the direct stack, which does not have it yet. */
public final class TcpUnavailableException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    TcpUnavailableException() {
        super("TCP on the direct stack is not available yet; build with -Dmirage.net=socket for TCP.");
    }
}
