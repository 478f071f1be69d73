package org.mirage4j.block.file;

import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import org.mirage4j.api.block.BlockInfo;

/**
 * A disk image file while it is connected.
 *
 * @param path the file, as the user gave it
 * @param channel the open file
 * @param lock the lock this process holds on it (released when the channel closes)
 * @param info the device the file is
 */
record OpenFile(Path path, AsynchronousFileChannel channel, FileLock lock, BlockInfo info) {}
