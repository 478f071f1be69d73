package org.mirage4j.image;

import java.io.IOException;
import java.io.Serial;

/** An image could not be built for a reason the user can fix; the message is one sentence that says what to do. */
public final class ImageException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
