/**
 * A read-only key-value store over a tar archive on a block device (mirage's {@code tar_kv_ro}):
 * {@link org.mirage4j.block.tar.TarKvRo}, bound by {@link org.mirage4j.block.tar.TarKvRoModule}; and
 * {@link org.mirage4j.block.tar.TarImage}, which builds such an archive from a directory at package time.
 *
 * <p>Contract: {@code connect()} reads every header of the archive once (ustar, pax and GNU long names, through
 * commons-compress) and keeps an index in memory: per entry its key, data offset, size and time, about 150 bytes
 * plus the name; an archive of more than {@value org.mirage4j.block.tar.TarIndex#MAX_ENTRIES} entries is refused.
 * Regular files become values and directories dictionaries (also those only implied by a file's path); links,
 * devices, sparse files and names with {@code ..} are left out and logged. After connect the store is immutable
 * and any thread may read it; each {@code get} reads the value's sectors from the device. Tar has no checksum over
 * file data, so damage to it goes unnoticed: use {@link org.mirage4j.block.kv} where that matters.
 */
package org.mirage4j.block.tar;
