package org.mirage4j.api;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value the user gives when the unikernel starts ({@code --port=8081}), declared at build time
 * with its type, default and documentation.
 *
 * @param name the name after {@code --}: lower case letters, digits and dashes
 * @param type how the text becomes a value
 * @param defaultText the default as {@code type} formats it, or empty when the key is required
 * @param doc one line for {@code --help}
 * @param <T> the Java type of the value
 */
public record RuntimeKey<T>(String name, KeyType<T> type, Optional<String> defaultText, String doc) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public RuntimeKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(doc, "doc");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Key name '" + name
                    + "' is not valid: use lower case letters, digits and dashes, starting with a letter (for example \"ipv4-gateway\").");
        }
        defaultText.ifPresent(type::parse); // a default that does not parse is a build error, not a boot error
    }

    /** A key with a default. */
    public static <T> RuntimeKey<T> optional(String name, KeyType<T> type, String defaultText, String doc) {
        return new RuntimeKey<>(name, type, Optional.of(defaultText), doc);
    }

    /** A key the user must give. */
    public static <T> RuntimeKey<T> required(String name, KeyType<T> type, String doc) {
        return new RuntimeKey<>(name, type, Optional.empty(), doc);
    }
}
