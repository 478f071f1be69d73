package org.mirage4j.api;

import java.io.IOException;
import java.io.Serial;

/**
 * A device could not do what was asked for a reason the user can fix. The message is one sentence
 * that says what to do (for example which command grants the permission that is missing); the
 * runtime prints it without a stack trace.
 */
public class DeviceException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
