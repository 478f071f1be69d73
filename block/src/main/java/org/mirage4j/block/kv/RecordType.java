package org.mirage4j.block.kv;

/** What a log record does to the store. */
enum RecordType {
    /** Sets a value: the record holds the key and the value. */
    PUT(1),
    /** Removes a value or a whole dictionary: the record holds the key. */
    DELETE(2),
    /** Moves a value or a dictionary: the record holds the source key and the destination key. */
    RENAME(3);

    final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The type of {@code code}, or {@code null} when no type has it. */
    static RecordType of(int code) {
        for (RecordType t : values()) {
            if (t.code == code) return t;
        }
        return null;
    }
}
