/**
 * Seeded property tests for JUnit 5, and the leak check that every test runs with.
 *
 * <p>What a module gets by putting test-support on its test classpath:
 * <ul>
 *   <li><b>Reproducible property tests.</b> A method annotated {@link org.mirage4j.testing.Property @Property}
 *       that takes a {@link org.mirage4j.testing.Gen} runs once per try, each try with its own seed drawn from a
 *       base seed that is random per run. Every value a try sees comes from its {@code Gen}, so its seed alone
 *       reproduces it. The first failing try stops the property and fails with a
 *       {@link org.mirage4j.testing.PropertyFailedError} naming the try, its seed and the one command that reruns
 *       that try alone: {@code ./mvnw -pl <module> test -Dtest=<Class>#<method> -Dmirage.seed=0x...}.</li>
 *   <li><b>No leaked buffer goes unnoticed.</b> Without any annotation, {@link org.mirage4j.testing.LeakCheck}
 *       runs around every Jupiter test: netty's leak detector runs at PARANOID, and a test during which a
 *       tracked {@code ByteBuf} was garbage-collected without {@code release()} fails, with netty's record of the
 *       buffer and the name of the test (for a property: the try, seed and rerun command) that allocated it. A
 *       property collects garbage once after its last try; a buffer still held when its test ends (in a field)
 *       fails the class instead.</li>
 * </ul>
 *
 * <p>Limits: netty tracks only buffers that come from an allocator and are wrapped for leak detection; unpooled
 * heap buffers ({@code Unpooled.buffer()}, {@code Unpooled.wrappedBuffer()}) are not, so tests should allocate
 * from {@link org.mirage4j.testing.TrackedHeapAllocator} or {@code ByteBufAllocator.DEFAULT}. Tests run one at a
 * time: with parallel execution a leak is still caught but may be reported against a neighbouring test (its
 * record still names the allocating one).
 *
 * <p>This module depends on netty-buffer and JUnit only, never on mirage-api, whose tests use it.
 */
package org.mirage4j.testing;
