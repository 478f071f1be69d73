package org.mirage4j.block.tar;

/**
 * A file of the archive, as the index keeps it.
 *
 * @param offset the byte offset on the device of its first data byte
 * @param size its bytes
 * @param modifiedMillis its time, in milliseconds since the epoch
 */
record TarEntry(long offset, long size, long modifiedMillis) {}
