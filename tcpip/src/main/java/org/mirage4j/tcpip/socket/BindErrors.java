package org.mirage4j.tcpip.socket;

import java.net.BindException;
import java.util.Locale;

/** Turns the host's terse bind errors into one sentence that names the port and says what to do. */
final class BindErrors {

    private BindErrors() {}

    /**
     * The exception to throw when binding {@code protocol} port {@code port} on {@code where}
     * failed with {@code cause}; the cause is kept for the stack trace.
     *
     * @param protocol {@code "TCP"} or {@code "UDP"}
     */
    static BindException bindFailed(String protocol, int port, ServeAddress where, BindException cause) {
        String reason = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        String sentence;
        if (reason.contains("in use")) {
            sentence = protocol + " port " + port + " on " + where
                    + " is already in use by another program: stop that program or choose another port.";
        } else if (reason.contains("permission denied") || reason.contains("access")) {
            sentence = protocol + " port " + port + " needs privileges to bind: run as root, grant the capability"
                    + " CAP_NET_BIND_SERVICE, or choose a port above 1023.";
        } else if (reason.contains("assign")) {
            sentence = protocol + " port " + port + " cannot be bound because the host has no address " + where
                    + ": give --ipv4 one of the host's addresses, or 0.0.0.0/0 for all of them.";
        } else {
            sentence = protocol + " port " + port + " on " + where + " could not be bound (" + cause.getMessage()
                    + "): choose another port.";
        }
        BindException error = new BindException(sentence);
        error.initCause(cause);
        return error;
    }
}
