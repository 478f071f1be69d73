package org.mirage4j.config;

import java.io.Serial;

/**
 * A configuration that cannot be built. The message is one sentence that names what is wrong
 * (the job, the parameter, the key) and says how to fix it; the build prints it as the reason it
 * failed.
 */
public final class ConfigException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
