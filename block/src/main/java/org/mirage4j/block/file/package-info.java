/**
 * The block device of the unix target: a disk image file ({@link org.mirage4j.block.file.FileBlock}, bound by
 * {@link org.mirage4j.block.file.FileBlockModule}).
 *
 * <p>Contract, beyond {@link org.mirage4j.block}'s: sectors are 512 bytes; the device is the file's size rounded
 * down to whole sectors, fixed at connect. Reads and writes are positional ({@code pread}/{@code pwrite} on a
 * pool of platform threads, so an interrupted caller neither closes the file for everyone nor returns while the
 * kernel still uses its buffer). {@code flush()} is {@code fsync}. The file is opened read-only when
 * {@code --block-read-only} says so or when this process may not write it, and is locked (exclusively, or shared
 * when read-only) so that two processes never write one image. A missing file is created zero-filled (sparse)
 * only when {@code --block-size} is given; otherwise, and for every other problem a user can fix (a directory,
 * no permission, a file in use), {@code connect()} throws a {@link org.mirage4j.api.DeviceException} whose one
 * sentence says what to do.
 */
package org.mirage4j.block.file;
