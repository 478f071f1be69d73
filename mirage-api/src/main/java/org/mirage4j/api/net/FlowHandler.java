package org.mirage4j.api.net;

/** Serves one accepted TCP connection. */
@FunctionalInterface
public interface FlowHandler {

    /**
     * Called on a virtual thread of its own for each accepted connection. The stack closes the
     * flow when this returns or throws; an exception is logged, and ends only this connection.
     */
    void handle(Flow flow) throws Exception;
}
