package org.mirage4j.runtime.kv;

/**
 * One embedded file, as the build recorded it.
 *
 * @param path the key, such as {@code /css/site.css}
 * @param resource the class-path resource that holds the bytes, relative to the index class
 * @param size the length in bytes
 * @param sha256 the SHA-256 of the bytes, lower-case hex
 * @param lastModifiedMillis the file's modification time at build, milliseconds since the epoch
 */
public record CrunchedFile(String path, String resource, long size, String sha256, long lastModifiedMillis) {}
