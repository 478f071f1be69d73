/**
 * The device signatures of mirage4j: what an application may ask for, and nothing about how it
 * is provided.
 *
 * <p>An application is a {@link org.mirage4j.api.Job} whose single {@code @Inject} constructor
 * takes the devices it needs (the counterpart of a MirageOS functor) and its runtime keys, each
 * marked {@link org.mirage4j.api.Key @Key}. Implementations live in other modules and are chosen
 * per target at build time; this package depends on none of them.
 *
 * <h2>Threads</h2>
 * The API is direct style: calls block the calling thread, which is meant to be a virtual
 * thread. Handlers passed to {@code listen} methods run on virtual threads owned by the device;
 * each method says which.
 *
 * <h2>Buffer ownership</h2>
 * Data moves in netty {@link io.netty.buffer.ByteBuf}s. Every method that takes or returns one
 * says who releases it. The rule of thumb:
 * <ul>
 *   <li>a buffer that a device <em>returns</em> ({@code read}, {@code get}) belongs to the caller,
 *       who releases it;
 *   <li>a buffer <em>sent</em> ({@code Flow.write}, {@code Udp.write}, {@code Console.write}) is
 *       owned by the device from the call on, also when the call throws;
 *   <li>a buffer that a storage device reads into or writes from ({@code Block.read},
 *       {@code Block.write}, {@code KvRw.set}) stays the caller's: the device only borrows it;
 *   <li>a buffer handed to a frame filler ({@code Network.write}) belongs to the device; the
 *       filler writes into it and must not keep it.
 * </ul>
 */
package org.mirage4j.api;
