package org.mirage4j.api.kv;

/** What a key names. */
public enum KvKind {
    /** A value: bytes. */
    VALUE,
    /** A dictionary: a key with children. */
    DICTIONARY
}
