package org.mirage4j.api.kv;

/**
 * One child of a dictionary.
 *
 * @param name the child's last segment
 * @param kind whether it is a value or a dictionary
 */
public record KvEntry(String name, KvKind kind) {}
