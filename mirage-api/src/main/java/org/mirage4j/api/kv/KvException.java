package org.mirage4j.api.kv;

import java.io.IOException;
import java.io.Serial;

/** A key-value operation that cannot be done; {@link #reason()} says why. */
public class KvException extends IOException {
    @Serial private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** No value or dictionary has that key. */
        NOT_FOUND,
        /** The key names a dictionary where a value was expected. */
        VALUE_EXPECTED,
        /** The key names a value where a dictionary was expected. */
        DICTIONARY_EXPECTED,
        /** The store has no room for the change. */
        NO_SPACE,
        /** The store's data failed a check; nothing was returned as valid. */
        CORRUPT
    }

    private final Reason reason;
    private final KvKey key;

    public KvException(Reason reason, KvKey key, String message) {
        super(message);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    /** The key the operation was about. */
    public KvKey key() {
        return key;
    }

    public static KvException notFound(KvKey key) {
        return new KvException(Reason.NOT_FOUND, key, "No value has the key " + key + ".");
    }

    public static KvException valueExpected(KvKey key) {
        return new KvException(Reason.VALUE_EXPECTED, key, key + " is a dictionary, not a value.");
    }

    public static KvException dictionaryExpected(KvKey key) {
        return new KvException(Reason.DICTIONARY_EXPECTED, key, key + " is a value, not a dictionary.");
    }
}
