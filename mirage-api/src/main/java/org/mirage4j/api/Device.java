package org.mirage4j.api;

import java.io.IOException;

/**
 * Something the runtime connects before the job starts and disconnects after it ends.
 *
 * <p>Devices are constructed by the generated wiring, then connected one by one in dependency
 * order (a network before the stack over it), and disconnected in the reverse order when the job
 * ends or the unikernel is interrupted. Constructors must not do I/O; {@link #connect()} does.
 */
public interface Device {

    /**
     * Acquires what the device needs (a tap file descriptor, a listening socket, a lease).
     * Called once, on the main thread, before any other method.
     *
     * @throws DeviceException with a one-sentence message saying what the user must do, when the
     *     cause is something the user can fix (a missing permission, a busy interface)
     */
    default void connect() throws IOException {}

    /**
     * Releases what {@link #connect()} acquired and makes blocked calls on this device return or
     * fail. Called once, in reverse dependency order; must not throw.
     */
    default void disconnect() {}
}
