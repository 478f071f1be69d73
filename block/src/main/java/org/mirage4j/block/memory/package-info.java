/**
 * A block device in memory ({@link org.mirage4j.block.memory.MemoryBlock}, bound by
 * {@link org.mirage4j.block.memory.MemoryBlockModule}): for tests, and for scratch space that need not outlive
 * the unikernel.
 *
 * <p>Contract, beyond {@link org.mirage4j.block}'s: the contents start zeroed and live off the Java heap until
 * the device is garbage; {@code flush()} has nothing to do, since every write is as durable as the device is the
 * moment it returns. Disconnecting keeps the contents, so a store can be reconnected over them.
 */
package org.mirage4j.block.memory;
