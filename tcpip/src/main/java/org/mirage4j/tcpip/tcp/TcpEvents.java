package org.mirage4j.tcpip.tcp;

/**
 * What the engine tells the application side about, so that threads blocked on a connection or a listener can
 * look again. Called synchronously from inside the engine's methods, after the engine has finished its work for
 * the call, on the thread that called them; implementations only wake threads (they must not call back into the
 * engine from inside the call).
 */
public interface TcpEvents {

    /** Nothing to tell: for engines whose callers poll. */
    TcpEvents NONE = new TcpEvents() {};

    /**
     * Something an application may wait for changed on {@code connection}: it was established, data or the end of
     * the stream arrived, send buffer space freed up, or it closed or failed.
     */
    default void connectionChanged(Connection connection) {}

    /** A connection waits in {@code listener}'s accept queue. */
    default void acceptReady(Listener listener) {}
}
