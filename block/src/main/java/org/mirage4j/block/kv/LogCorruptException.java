package org.mirage4j.block.kv;

import java.io.IOException;
import java.io.Serial;

/** Something read from the log failed a check: the device does not hold what the store wrote there. */
final class LogCorruptException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    LogCorruptException(String message) {
        super(message);
    }
}
