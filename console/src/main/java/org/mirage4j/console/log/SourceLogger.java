package org.mirage4j.console.log;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * A {@link System.Logger} for one source that writes through {@link Logs}. It keeps no state but its name, so
 * the levels and the console in force at each call apply. Safe to use from any thread.
 */
final class SourceLogger implements System.Logger {

    private final String name;

    SourceLogger(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }

    /** Does not allocate. */
    @Override
    public boolean isLoggable(Level level) {
        return Logs.isLoggable(name, Objects.requireNonNull(level, "level"));
    }

    /** Logs {@code msg}, looked up as a key in {@code bundle} when there is one; not run through MessageFormat. */
    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            Logs.log(name, level, localize(bundle, msg), thrown);
        }
    }

    /**
     * Logs {@code format}, looked up as a key in {@code bundle} when there is one, and formatted with
     * {@link MessageFormat} when {@code params} are given ({@code "port {0}"}). A pattern that MessageFormat
     * rejects is logged as it is, followed by the parameters, rather than thrown at the caller.
     */
    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (!isLoggable(level)) {
            return;
        }
        String pattern = localize(bundle, format);
        String message = pattern;
        if (params != null && params.length > 0) {
            try {
                message = MessageFormat.format(pattern, params);
            } catch (IllegalArgumentException e) {
                message = pattern + " " + Arrays.toString(params);
            }
        }
        Logs.log(name, level, message, null);
    }

    private static String localize(ResourceBundle bundle, String key) {
        if (bundle != null && key != null) {
            try {
                return bundle.getString(key);
            } catch (MissingResourceException e) {
                // As the JDK's own loggers do: a key without a translation is logged as it is.
            }
        }
        return String.valueOf(key);
    }

    @Override
    public String toString() {
        return "SourceLogger[" + name + "]";
    }
}
