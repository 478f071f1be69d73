/**
 * Block devices and what they have in common.
 *
 * <p>Implementations: {@link org.mirage4j.block.file} (a file, the unix target),
 * {@link org.mirage4j.block.memory} (memory, for tests and scratch space). Stores over a block device:
 * {@link org.mirage4j.block.tar} (a read-only {@code KvRo} over a tar archive) and
 * {@link org.mirage4j.block.kv} (a crash-safe read-write {@code KvRw}).
 *
 * <p>Contract of every {@link org.mirage4j.api.block.Block} here, checked by one test suite that each
 * implementation runs:
 * <ul>
 *   <li>requests are whole sectors inside the device, else {@link java.lang.IllegalArgumentException} and
 *       nothing is read or written ({@link org.mirage4j.block.Sectors} does the check);
 *   <li>buffers are borrowed: the caller keeps ownership of what it passes, and the device keeps no
 *       reference to it once the call returns, also when it throws;
 *   <li>several requests may be in flight at once from any threads (virtual ones included); requests on
 *       overlapping sectors are not ordered against each other;
 *   <li>{@code flush()} returns once every write that returned before it was called is durable;
 *   <li>a device that is not {@code readWrite} refuses writes with
 *       {@link java.nio.file.AccessDeniedException} and changes nothing.
 * </ul>
 * The helpers here ({@link org.mirage4j.block.Sectors}, {@link org.mirage4j.block.ByteSize},
 * {@link org.mirage4j.block.BlockBytes}) do no I/O of their own except through the device they are given.
 */
package org.mirage4j.block;
