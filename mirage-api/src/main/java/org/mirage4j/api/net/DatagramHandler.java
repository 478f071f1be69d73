package org.mirage4j.api.net;

/** Serves the datagrams sent to one UDP port. */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * Called for each datagram, one at a time, on the port's virtual thread (see
     * {@link Udp#listen}). The handler owns {@code datagram.payload()} and must release it or pass
     * it on, also when it throws; an exception is logged and the next datagram is handled as usual.
     */
    void handle(Datagram datagram) throws Exception;
}
