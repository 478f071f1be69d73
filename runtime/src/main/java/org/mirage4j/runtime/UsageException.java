package org.mirage4j.runtime;

import java.io.Serial;

/** The command line is wrong; the message is one sentence saying how to fix it. */
public final class UsageException extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
